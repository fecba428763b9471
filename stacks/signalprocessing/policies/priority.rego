package signalprocessing.priority

# production+critical=P0, production+warning=P1, staging=P2, development=P3, otherwise P3.
default priority := "P3"

priority := "P0" if {
	input.environment == "production"
	input.severity == "critical"
}

priority := "P1" if {
	input.environment == "production"
	input.severity == "warning"
}

priority := "P2" if {
	input.environment == "staging"
	input.severity in {"critical", "warning"}
}
