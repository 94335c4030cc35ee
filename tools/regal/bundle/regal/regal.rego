# METADATA
# scope: package
# authors:
#   - The OPA community
# related_resources:
#   - https://www.openpolicyagent.org/projects/regal

# METADATA
# scope: subpackages
# schemas:
#   - input: schema.regal.ast
package regal
