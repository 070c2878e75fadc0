# Imported by sitecustomize.py, so only moto_server started by test/support/moto.ts loads it.
#
# moto 5.2 has an API Gateway V2 backend (CreateApi, CreateIntegration, CreateRoute, CreateStage,
# CreateAuthorizer and their Get calls) but no CloudFormation model for any AWS::ApiGatewayV2 type:
# its CloudFormation skips AWS::ApiGatewayV2::Api, ::Integration, ::Route, ::Authorizer, ::Stage and
# ::Deployment with a warning ("not supported by moto's CloudFormation implementation"), so a stack
# with a WebSocket API "completes" with none of it in API Gateway. Its V2 backend has no
# deployments at all (no CreateDeployment, no GetDeployment), and its Stage drops the DeploymentId
# it is created with (GetStage never returns one). Real CloudFormation and API Gateway do all of
# this, so these give moto the resources through its own V2 backend (the calls its REST API
# makes), with the properties' PascalCase names mapped to the API's; a Deployment becomes an id
# the Stage keeps and GetStage returns.
try:
    import random as _random
    import string as _string

    from apigateway_cfn import _ApiGatewayModel
    from moto.apigatewayv2.models import Stage as _Stage, apigatewayv2_backends as _backends
    from moto.core.common_models import CloudFormationModel as _CloudFormationModel
except Exception:  # another Python program on this PYTHONPATH: leave it alone
    _CloudFormationModel = None


def _backend(account_id, region_name):
    return _backends[account_id][region_name]


def _quietly(delete):
    # moto deletes a stack's resources without regard to what depends on what, so an Api may be
    # gone before its routes: CloudFormation deletes dependents first, and deleting an Api takes
    # its routes, integrations, authorizers and stages with it anyway.
    try:
        delete()
    except Exception:
        pass


if _CloudFormationModel is not None:

    class _V2Model(_ApiGatewayModel):
        """apigateway_cfn.py's mixin (Ref = its id, replaced on update), for the V2 types; a
        Deployment has nothing of its own to delete."""

        def delete(self, account_id, region_name):
            pass

    class _CfnApi(_V2Model, _CloudFormationModel):
        __module__ = "moto.apigatewayv2.models"
        TYPE = "AWS::ApiGatewayV2::Api"

        @classmethod
        def has_cfn_attr(cls, attr):
            return attr in ("ApiEndpoint", "ApiId")

        def get_cfn_attribute(self, attribute_name):
            api = self.api
            return api.api_endpoint if attribute_name == "ApiEndpoint" else api.api_id

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            api = _backend(account_id, region_name).create_api(
                api_key_selection_expression=p.get("ApiKeySelectionExpression"),
                cors_configuration=p.get("CorsConfiguration"),
                description=p.get("Description"),
                disable_schema_validation=p.get("DisableSchemaValidation"),
                disable_execute_api_endpoint=p.get("DisableExecuteApiEndpoint"),
                name=p["Name"],
                protocol_type=p["ProtocolType"],
                route_selection_expression=p.get("RouteSelectionExpression"),
                tags=p.get("Tags") or {},
                version=p.get("Version"),
            )
            model = cls(api.api_id, account_id, region_name, p)
            model.api = api
            return model

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # In place: the API's id is its URL, which clients hold.
            p = cloudformation_json["Properties"]
            api = _backend(account_id, region_name).get_api(original_resource.physical_id)
            api.name = p["Name"]
            api.description = p.get("Description")
            api.route_selection_expression = p.get("RouteSelectionExpression") or api.route_selection_expression
            model = cls(api.api_id, account_id, region_name, p)
            model.api = api
            return model

        def delete(self, account_id, region_name):
            _quietly(lambda: _backend(account_id, region_name).delete_api(self.physical_id))

    class _CfnIntegration(_V2Model, _CloudFormationModel):
        __module__ = "moto.apigatewayv2.models"
        TYPE = "AWS::ApiGatewayV2::Integration"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            integration = _backend(account_id, region_name).create_integration(
                api_id=p["ApiId"],
                connection_id=p.get("ConnectionId"),
                connection_type=p.get("ConnectionType"),
                content_handling_strategy=p.get("ContentHandlingStrategy"),
                credentials_arn=p.get("CredentialsArn"),
                description=p.get("Description"),
                integration_method=p.get("IntegrationMethod"),
                integration_subtype=p.get("IntegrationSubtype"),
                integration_type=p["IntegrationType"],
                integration_uri=p.get("IntegrationUri"),
                passthrough_behavior=p.get("PassthroughBehavior"),
                payload_format_version=p.get("PayloadFormatVersion"),
                request_parameters=p.get("RequestParameters"),
                request_templates=p.get("RequestTemplates"),
                response_parameters=p.get("ResponseParameters"),
                template_selection_expression=p.get("TemplateSelectionExpression"),
                timeout_in_millis=p.get("TimeoutInMillis"),
                tls_config=p.get("TlsConfig"),
            )
            return cls(integration.id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _quietly(lambda: _backend(account_id, region_name).delete_integration(self.properties["ApiId"], self.physical_id))

    class _CfnRoute(_V2Model, _CloudFormationModel):
        __module__ = "moto.apigatewayv2.models"
        TYPE = "AWS::ApiGatewayV2::Route"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            route = _backend(account_id, region_name).create_route(
                api_id=p["ApiId"],
                api_key_required=p.get("ApiKeyRequired", False),
                authorization_scopes=p.get("AuthorizationScopes"),
                authorization_type=p.get("AuthorizationType"),
                authorizer_id=p.get("AuthorizerId"),
                model_selection_expression=p.get("ModelSelectionExpression"),
                operation_name=p.get("OperationName"),
                request_models=p.get("RequestModels"),
                request_parameters=p.get("RequestParameters"),
                route_key=p["RouteKey"],
                route_response_selection_expression=p.get("RouteResponseSelectionExpression"),
                target=p.get("Target"),
            )
            return cls(route.route_id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _quietly(lambda: _backend(account_id, region_name).delete_route(self.properties["ApiId"], self.physical_id))

    class _CfnAuthorizer(_V2Model, _CloudFormationModel):
        __module__ = "moto.apigatewayv2.models"
        TYPE = "AWS::ApiGatewayV2::Authorizer"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            authorizer = _backend(account_id, region_name).create_authorizer(
                api_id=p["ApiId"],
                auth_creds_arn=p.get("AuthorizerCredentialsArn"),
                auth_payload_format_version=p.get("AuthorizerPayloadFormatVersion"),
                auth_result_ttl=p.get("AuthorizerResultTtlInSeconds"),
                authorizer_uri=p.get("AuthorizerUri"),
                authorizer_type=p["AuthorizerType"],
                enable_simple_response=p.get("EnableSimpleResponses"),
                identity_source=p.get("IdentitySource"),
                identity_validation_expr=p.get("IdentityValidationExpression"),
                jwt_config=p.get("JwtConfiguration"),
                name=p["Name"],
            )
            return cls(authorizer.id, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _quietly(lambda: _backend(account_id, region_name).delete_authorizer(self.properties["ApiId"], self.physical_id))

    class _CfnDeployment(_V2Model, _CloudFormationModel):
        __module__ = "moto.apigatewayv2.models"
        TYPE = "AWS::ApiGatewayV2::Deployment"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            # An id as API Gateway gives one; moto's V2 backend keeps no deployments to put it in.
            return cls("".join(_random.choice(_string.ascii_lowercase + _string.digits) for _ in range(6)), account_id, region_name, cloudformation_json["Properties"])

    class _CfnStage(_V2Model, _CloudFormationModel):
        __module__ = "moto.apigatewayv2.models"
        TYPE = "AWS::ApiGatewayV2::Stage"

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            p = cloudformation_json["Properties"]
            config = {
                "stageName": p["StageName"],
                "description": p.get("Description"),
                "deploymentId": p.get("DeploymentId"),
                "autoDeploy": p.get("AutoDeploy"),
                "stageVariables": p.get("StageVariables") or {},
                "tags": p.get("Tags") or {},
            }
            settings = p.get("DefaultRouteSettings")
            if settings:
                config["defaultRouteSettings"] = {key[0].lower() + key[1:]: value for key, value in settings.items()}
            stage = _backend(account_id, region_name).create_stage(p["ApiId"], config)
            # Ref of a Stage is its name.
            return cls(stage.name, account_id, region_name, p)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            # In place: a new DeploymentId is how a redeploy reaches the stage.
            p = cloudformation_json["Properties"]
            stage = _backend(account_id, region_name).get_stage(p["ApiId"], original_resource.physical_id)
            stage.config["deploymentId"] = p.get("DeploymentId")
            stage.description = p.get("Description")
            return cls(stage.name, account_id, region_name, p)

        def delete(self, account_id, region_name):
            _quietly(lambda: _backend(account_id, region_name).delete_stage(self.properties["ApiId"], self.physical_id))

    # GetStage answers with the stage's deploymentId, as API Gateway does.
    _stage_to_json = _Stage.to_json

    def _stage_with_deployment(self):
        found = _stage_to_json(self)
        if self.config.get("deploymentId"):
            found["deploymentId"] = self.config["deploymentId"]
        return found

    _Stage.to_json = _stage_with_deployment
