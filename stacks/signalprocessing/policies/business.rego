package signalprocessing.business

# Business classification: the namespace's kubernaut.ai/business-unit label, if any.
default business_unit := ""

business_unit := unit if {
	unit := input.namespace.labels["kubernaut.ai/business-unit"]
}
