// A few hand-written, realistic Rego v1 policies: seeds for mutation-based robustness tests.

export const SAMPLE_POLICIES: readonly { name: string; text: string }[] = [
  {
    name: "rbac.rego",
    text: `# Role-based access control.
# METADATA
# title: RBAC
# description: Users get the permissions of their roles.
package authz.rbac

import rego.v1
import data.roles as role_defs

default allow := false

# METADATA
# title: Admins may do anything
allow if {
	"admin" in input.user.roles
}

allow if {
	some role in input.user.roles
	some grant in role_defs[role].grants
	grant.action == input.action
	glob.match(grant.resource, ["/"], input.resource)
}

user_permissions contains perm if {
	some role in input.user.roles
	some perm in role_defs[role].grants # every grant of every role
}

deny contains msg if {
	not input.user.id
	msg := "anonymous requests are denied"
}

deny contains sprintf("user %s is suspended", [input.user.id]) if data.suspended[input.user.id]
`,
  },
  {
    name: "k8s.rego",
    text: `package kubernetes.admission

import rego.v1

containers := array.concat(
	object.get(input.request.object.spec, "containers", []),
	object.get(input.request.object.spec, "initContainers", []),
)

violation contains {"msg": msg, "container": c.name} if {
	some c in containers
	not startswith(c.image, "registry.example.com/")
	msg := sprintf("image %q is not from the trusted registry", [c.image])
}

violation contains {"msg": "privileged containers are not allowed", "container": c.name} if {
	some c in containers
	c.securityContext.privileged == true
}

required_labels := {"app", "team", "cost-center"}

missing_labels := required_labels - {label | some label, _ in input.request.object.metadata.labels}

violation contains {"msg": sprintf("missing labels: %v", [missing_labels])} if count(missing_labels) > 0

every_port_named if {
	every c in containers {
		every p in object.get(c, "ports", []) {
			p.name != ""
		}
	}
}

limits[c.name] := c.resources.limits if {
	some c in containers
	c.resources.limits
}
`,
  },
  {
    name: "abac.rego",
    text: `package authz.abac

import rego.v1
import data.lib.time as t

level := {"public": 0, "internal": 1, "confidential": 2, "secret": 3}

clearance(user) := level[user.clearance] if user.clearance
else := 0

can_read(user, doc) if {
	clearance(user) >= level[doc.classification]
	doc.department == user.department
} else if {
	user.role == "auditor"; doc.classification != "secret"
}

decision := "allow" if {
	can_read(input.user, input.document)
	not t.outside_hours(input.time) with input.tz as "UTC"
} else := "review" if {
	input.user.role == "manager"
} else := "deny"

summary := {
	"user": input.user.id,
	"decision": decision,
	"checked_at": time.now_ns(),
	"big": 123456789012345678901234567890,
	"ratio": 2.5e-3,
	"pattern": \`^[a-z]+\\.example\\.com$\`,
	"escaped": "tab\\tquote\\"é\\u00e9",
}

report.by_department[d] := n if {
	some d in {doc.department | some doc in data.documents}
	n := count([1 | some doc in data.documents; doc.department == d])
}
`,
  },
  {
    name: "agent.rego",
    text: `package guard.agent

import rego.v1

default allow := false

dangerous_commands := ["rm -rf", "curl | sh", "chmod 777"]

allow if {
	input.tool.name in {"Read", "Grep", "Glob"}
}

allow if {
	input.tool.name == "Bash"
	cmd := input.tool.input.command
	not is_dangerous(cmd)
	count(cmd) < 1000
}

is_dangerous(cmd) if {
	some pattern in dangerous_commands
	contains(cmd, pattern)
}

is_dangerous(cmd) if regex.match(\`(?i)sudo\\s\`, cmd)

files_touched := {path: kind |
	some call in input.history
	call.tool.name in ["Write", "Edit"]
	path := call.tool.input.file_path
	kind := lower(call.tool.name)
}

ratio := (count(files_touched) * 100) / max([count(input.history), 1])

mask(s) := concat("", ["***", substring(s, count(s) - 4, -1)]) if count(s) > 4
`,
  },
];
