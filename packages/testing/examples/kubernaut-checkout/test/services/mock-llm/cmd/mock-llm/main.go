// Stand-in: the mock LLM's main package (an OpenAI-compatible test server). The stacks read only its imports.
package main

import "github.com/jordigilh/kubernaut/pkg/shared/health"

func main() {
	health.Serve()
}
