# Imported by sitecustomize.py, so only moto_server started by test/support/moto.ts loads it.
#
# moto 5.2's CloudFormation knows four API Gateway types (RestApi, Resource, Method, Deployment).
# It skips AWS::ApiGateway::Authorizer, ::ApiKey, ::UsagePlan, ::UsagePlanKey and ::Stage with
# a warning ("not supported by moto's CloudFormation implementation"), so a stack with them
# "completes" with none of them in API Gateway, and a Ref to one resolves to nothing. Its Method
# drops AuthorizerId and AuthorizationScopes when it creates one, and has no update at all: a
# method whose guard changes keeps its old one. Its Deployment has no physical id, so a Ref to one
# (a Stage's DeploymentId) gives moto's model object rather than the deployment's id. And its
# CreateAuthorizer drops the identity validation expression (a keyword spelt two ways inside
# moto). Real CloudFormation and API Gateway do all of this, so these
# give moto the missing resources and updates through moto's own API Gateway backend (the same
# calls its REST API makes), with the properties' PascalCase names mapped to the API's.
try:
    from moto.apigateway.models import Deployment as _Deployment, Method as _Method, apigateway_backends as _backends
    from moto.core.common_models import CloudFormationModel as _CloudFormationModel
except Exception:  # another Python program on this PYTHONPATH: leave it alone
    _CloudFormationModel = None


def _backend(account_id, region_name):
    return _backends[account_id][region_name]


def _tags(properties):
    # CloudFormation's [{Key, Value}] list; API Gateway's API takes a map.
    return {tag["Key"]: tag["Value"] for tag in properties.get("Tags", [])} or None


if _CloudFormationModel is not None:

    class _ApiGatewayModel:
        """What every model here shares (Ref = its id). A mixin: moto finds CloudFormation models
        among the direct subclasses of CloudFormationModel only, so each model names it too, and
        sets __module__, which moto's model metaclass files the model's service by."""

        def __init__(self, physical_id, account_id, region_name, properties):
            self.physical_id = physical_id
            self.account_id = account_id
            self.region_name = region_name
            self.properties = properties

        TYPE = ""

        @classmethod
        def cloudformation_type(cls):
            return cls.TYPE

        @staticmethod
        def cloudformation_name_type():
            return ""

        @classmethod
        def has_cfn_attr(cls, attr):
            return False

        @property
        def physical_resource_id(self):
            return self.physical_id

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # Replacement, which API Gateway's ids tolerate here: nothing in these tests keeps one.
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        def is_created(self):
            return True

    class _CfnAuthorizer(_ApiGatewayModel, _CloudFormationModel):
        __module__ = "moto.apigateway.models"
        TYPE = "AWS::ApiGateway::Authorizer"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            authorizer = _backend(account_id, region_name).create_authorizer(
                restapi_id=p["RestApiId"],
                name=p["Name"],
                authorizer_type=p["Type"],
                provider_arns=p.get("ProviderARNs"),
                auth_type=p.get("AuthType"),
                authorizer_uri=p.get("AuthorizerUri"),
                authorizer_credentials=p.get("AuthorizerCredentials"),
                identity_source=p.get("IdentitySource"),
                authorizer_result_ttl=p.get("AuthorizerResultTtlInSeconds"),
            )
            authorizer.identity_validation_expression = p.get("IdentityValidationExpression")
            return cls(authorizer.id, account_id, region_name, p)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # In place, as CloudFormation updates an Authorizer (its id stays: methods name it).
            p = cloudformation_json["Properties"]
            authorizer = _backend(account_id, region_name).get_authorizer(p["RestApiId"], original_resource.physical_id)
            authorizer.name = p["Name"]
            authorizer.type = p["Type"]
            authorizer.provider_arns = p.get("ProviderARNs")
            authorizer.authorizer_uri = p.get("AuthorizerUri")
            authorizer.identity_source = p.get("IdentitySource")
            authorizer.identity_validation_expression = p.get("IdentityValidationExpression")
            authorizer.authorizer_result_ttl = p.get("AuthorizerResultTtlInSeconds")
            return cls(original_resource.physical_id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _backend(account_id, region_name).delete_authorizer(self.properties["RestApiId"], self.physical_id)

    class _CfnApiKey(_ApiGatewayModel, _CloudFormationModel):
        __module__ = "moto.apigateway.models"
        TYPE = "AWS::ApiGateway::ApiKey"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            payload = {"name": p.get("Name", resource_name), "description": p.get("Description"), "enabled": p.get("Enabled", False), "tags": _tags(p)}
            if "Value" in p:
                payload["value"] = p["Value"]
            key = _backend(account_id, region_name).create_api_key(payload)
            return cls(key.id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _backend(account_id, region_name).delete_api_key(self.physical_id)

    class _CfnUsagePlan(_ApiGatewayModel, _CloudFormationModel):
        __module__ = "moto.apigateway.models"
        TYPE = "AWS::ApiGateway::UsagePlan"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            throttle = p.get("Throttle", {})
            quota = p.get("Quota", {})
            payload = {
                "name": p.get("UsagePlanName", resource_name),
                "description": p.get("Description"),
                "apiStages": [{"apiId": stage["ApiId"], "stage": stage["Stage"]} for stage in p.get("ApiStages", [])],
                "throttle": {name: throttle[key] for key, name in (("RateLimit", "rateLimit"), ("BurstLimit", "burstLimit")) if key in throttle},
                "quota": {name: quota[key] for key, name in (("Limit", "limit"), ("Period", "period"), ("Offset", "offset")) if key in quota},
                "tags": _tags(p),
            }
            plan = _backend(account_id, region_name).create_usage_plan(payload)
            return cls(plan.id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _backend(account_id, region_name).delete_usage_plan(self.physical_id)

    class _CfnUsagePlanKey(_ApiGatewayModel, _CloudFormationModel):
        __module__ = "moto.apigateway.models"
        TYPE = "AWS::ApiGateway::UsagePlanKey"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            key = _backend(account_id, region_name).create_usage_plan_key(p["UsagePlanId"], {"keyId": p["KeyId"], "keyType": p["KeyType"]})
            return cls(key.id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _backend(account_id, region_name).delete_usage_plan_key(self.properties["UsagePlanId"], self.physical_id)

    class _CfnStage(_ApiGatewayModel, _CloudFormationModel):
        __module__ = "moto.apigateway.models"
        TYPE = "AWS::ApiGateway::Stage"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            stage = _backend(account_id, region_name).create_stage(
                p["RestApiId"],
                p["StageName"],
                p["DeploymentId"],
                variables=p.get("Variables"),
                description=p.get("Description", ""),
                tags=_tags(p),
                tracing_enabled=p.get("TracingEnabled"),
            )
            # Ref of a Stage is its name (what a UsagePlan's ApiStages names).
            return cls(stage.name, account_id, region_name, p)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # In place: a new DeploymentId is how a redeploy reaches the stage.
            p = cloudformation_json["Properties"]
            stage = _backend(account_id, region_name).get_stage(p["RestApiId"], original_resource.physical_id)
            stage.deployment_id = p["DeploymentId"]
            stage.description = p.get("Description", "")
            stage.variables = p.get("Variables") or {}
            return cls(stage.name, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _backend(account_id, region_name).delete_stage(self.properties["RestApiId"], self.physical_id)

    # Ref of a Deployment is its id (a Stage's DeploymentId), as ListStackResources' physical id is.
    _Deployment.physical_resource_id = property(lambda self: self.id)

    # Method: moto's create leaves out the authorizer and the scopes, and it has no update.
    _create_method = _Method.create_from_cloudformation_json.__func__

    def _create_guarded_method(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        method = _create_method(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs)
        p = cloudformation_json["Properties"]
        method.authorizer_id = p.get("AuthorizerId")
        method.authorization_scopes = p.get("AuthorizationScopes")
        return method

    def _update_method(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        # PutMethod and PutIntegration replace the method in place, as an update does.
        return _create_guarded_method(cls, new_resource_name, cloudformation_json, account_id, region_name)

    _Method.create_from_cloudformation_json = classmethod(_create_guarded_method)
    _Method.update_from_cloudformation_json = classmethod(_update_method)
