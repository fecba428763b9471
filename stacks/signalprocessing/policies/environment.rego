package signalprocessing.environment

# The environment of a signal: the namespace's kubernaut.ai/environment label, else its name.
default environment := "unknown"

environment := label if {
	label := input.namespace.labels["kubernaut.ai/environment"]
	label != ""
}

environment := "production" if {
	not input.namespace.labels["kubernaut.ai/environment"]
	input.namespace.name in {"production", "prod"}
}

environment := "staging" if {
	not input.namespace.labels["kubernaut.ai/environment"]
	input.namespace.name == "staging"
}

environment := "development" if {
	not input.namespace.labels["kubernaut.ai/environment"]
	input.namespace.name in {"development", "dev"}
}
