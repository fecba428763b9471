# The AIAnalysis suite's approval policy (its setup's aianalysis-policies, at HEAD): a remediation
# in production needs a human's approval, whatever else; the reason given is that of the weightiest
# risk found (data quality warnings 70, failed detections 60, production itself 40), else
# "Auto-approved". Simpler than a real policy on purpose: the suite's outcomes follow from it.
package aianalysis.approval

import rego.v1

default require_approval := false

production if lower(input.environment) == "production"

require_approval if production

risk_factors contains {"score": 70, "reason": "Data quality warnings in production environment"} if {
	production
	count(input.warnings) > 0
}

risk_factors contains {"score": 60, "reason": "Data quality issues detected in production environment"} if {
	production
	count(input.failed_detections) > 0
}

risk_factors contains {"score": 40, "reason": "Production environment requires manual approval"} if production

scores contains factor.score if some factor in risk_factors

default reason := "Auto-approved"

reason := factor.reason if {
	some factor in risk_factors
	factor.score == max(scores)
}
