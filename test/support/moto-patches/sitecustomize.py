# Loaded by moto_server (PYTHONPATH is set by test/support/moto.ts only), never by sls-ts itself.
# moto 5.2 executes a change set on an existing stack by creating the added resources in template
# key order, ignoring DependsOn: an AWS::ApiGateway::Deployment is then created before its
# AWS::ApiGateway::Method resources and moto answers "The REST API doesn't contain any methods".
# Real CloudFormation honours DependsOn, so this orders moto's "Add" list the same way.
try:
    from moto.cloudformation import parsing as _parsing
except Exception:  # another Python program on this PYTHONPATH: leave it alone
    _parsing = None


def _in_dependency_order(names, resources):
    ordered, seen = [], set()

    def visit(name):
        if name in seen or name not in names:
            return
        seen.add(name)
        depends = resources.get(name, {}).get("DependsOn", [])
        for dependency in [depends] if isinstance(depends, str) else depends:
            visit(dependency)
        ordered.append(name)

    for name in names:
        visit(name)
    return ordered


if _parsing is not None:
    _original_diff = _parsing.ResourceMap.build_resource_diff

    def _build_resource_diff(self, other_template, parameters=None):
        diff = _original_diff(self, other_template, parameters)
        diff["Add"] = _in_dependency_order(diff["Add"], other_template.get("Resources", {}))
        return diff

    _parsing.ResourceMap.build_resource_diff = _build_resource_diff


# moto 5.2's CloudFormation has no AWS::SNS::Subscription (only a Topic's inline Subscription
# list): the resource is skipped with a warning and the topic keeps no subscriber. Real
# CloudFormation creates it, so this gives moto the resource, through moto's own SNS backend.
try:
    import json as _json
    from moto.core.common_models import CloudFormationModel as _CloudFormationModel
    from moto.sns.models import sns_backends as _sns_backends
except Exception:  # another Python program on this PYTHONPATH: leave it alone
    _CloudFormationModel = None

if _CloudFormationModel is not None:

    class _SnsSubscription(_CloudFormationModel):
        # moto's model metaclass files each model under the service its module names.
        __module__ = "moto.sns.models"

        def __init__(self, arn):
            self.arn = arn

        @staticmethod
        def cloudformation_name_type():
            return ""

        @staticmethod
        def cloudformation_type():
            return "AWS::SNS::Subscription"

        @classmethod
        def has_cfn_attr(cls, attr):
            return attr == "Arn"

        @property
        def physical_resource_id(self):
            return self.arn

        @classmethod
        def create_from_cloudformation_json(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
            properties = cloudformation_json["Properties"]
            backend = _sns_backends[account_id][region_name]
            subscription = backend.subscribe(properties["TopicArn"], properties["Endpoint"], properties["Protocol"])
            for name in ("FilterPolicy", "FilterPolicyScope"):
                if name in properties:
                    value = properties[name]
                    backend.set_subscription_attributes(subscription.arn, name, value if isinstance(value, str) else _json.dumps(value))
            return cls(subscription.arn)

        @classmethod
        def update_from_cloudformation_json(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
            original_resource.delete(account_id, region_name)
            return cls.create_from_cloudformation_json(new_resource_name, cloudformation_json, account_id, region_name)

        def delete(self, account_id, region_name):
            _sns_backends[account_id][region_name].unsubscribe(self.arn)

        def is_created(self):
            return True


# moto 5.2's CloudFormation creates an AWS::S3::Bucket without its NotificationConfiguration.
# Real CloudFormation sets it (after the bucket's DependsOn permissions exist), so this hands the
# template's LambdaConfigurations to moto's own S3 backend, in the shape its API parser produces.
try:
    from moto.s3.models import FakeBucket as _FakeBucket
except Exception:  # another Python program on this PYTHONPATH: leave it alone
    _FakeBucket = None


def _apply_notifications(bucket, cloudformation_json):
    lambdas = (cloudformation_json.get("Properties") or {}).get("NotificationConfiguration", {}).get("LambdaConfigurations", [])
    if not lambdas:
        return bucket
    bucket.set_notification_configuration({
        "CloudFunctionConfiguration": [
            {
                "CloudFunction": entry["Function"],
                "Event": [entry["Event"]],
                **({"Filter": {"S3Key": {"FilterRule": entry["Filter"]["S3Key"]["Rules"]}}} if "Filter" in entry else {}),
            }
            for entry in lambdas
        ],
    })
    return bucket


if _FakeBucket is not None:
    _create_bucket = _FakeBucket.create_from_cloudformation_json.__func__
    _update_bucket = _FakeBucket.update_from_cloudformation_json.__func__

    def _create_with_notifications(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs):
        return _apply_notifications(_create_bucket(cls, resource_name, cloudformation_json, account_id, region_name, **kwargs), cloudformation_json)

    def _update_with_notifications(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name):
        return _apply_notifications(_update_bucket(cls, original_resource, new_resource_name, cloudformation_json, account_id, region_name), cloudformation_json)

    _FakeBucket.create_from_cloudformation_json = classmethod(_create_with_notifications)
    _FakeBucket.update_from_cloudformation_json = classmethod(_update_with_notifications)


# API Gateway's authorizers, API keys, usage plans, stages and method guards: see that file.
# It guards its own moto imports; an error in it shows in moto's output rather than passing quietly.
import apigateway_cfn  # noqa: E402,F401

# API Gateway V2 (WebSocket APIs): moto's CloudFormation has none of its types; see that file.
import apigatewayv2_cfn  # noqa: E402,F401

# moto 5.2's ExecuteChangeSet applies the new template's resources but keeps the stack's Outputs
# (and Description) from the template it was created with, so a stack deployed as sls-ts does
# (the artifacts bucket first, then a change set) never shows the outputs `sls-ts url` reads.
# Real CloudFormation shows the new template's. Opt-in (SLS_TS_MOTO_CHANGE_SET_OUTPUTS=1, see
# test/support/moto-session.ts): the older moto e2e files were written against moto's behaviour.
import os as _os  # noqa: E402

try:
    from moto.cloudformation.models import CloudFormationBackend as _CloudFormationBackend
except Exception:  # another Python program on this PYTHONPATH: leave it alone
    _CloudFormationBackend = None

if _CloudFormationBackend is not None and _os.environ.get("SLS_TS_MOTO_CHANGE_SET_OUTPUTS") == "1":
    _execute_change_set = _CloudFormationBackend.execute_change_set

    def _execute_with_outputs(self, change_set_name, stack_name=None):
        _execute_change_set(self, change_set_name, stack_name)
        for stack in self.stacks.values():
            if stack.status.endswith("_COMPLETE") and stack.template_dict != stack.parse_template(stack.template):
                stack._parse_template()
                stack.output_map = stack._create_output_map()
                stack.description = stack.template_dict.get("Description")

    _CloudFormationBackend.execute_change_set = _execute_with_outputs
