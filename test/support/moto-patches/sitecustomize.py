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
