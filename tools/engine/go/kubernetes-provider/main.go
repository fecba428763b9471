// Command pulumi-resource-kubernetes is the Pulumi Kubernetes resource provider plugin, built from
// the published github.com/pulumi/pulumi-kubernetes/provider/v4 module (release v4.25.0).
//
// The upstream command embeds schema and mapping files that its release build generates and that
// are not part of the module zip; ./gen writes the same files from the module's committed
// cmd/pulumi-resource-kubernetes/{schema,terraform-mapping}.json. Regenerate after changing the
// provider version in go.mod (and the versions below and in targets):
//
//go:generate go run ./gen -version 4.25.0
package main

import (
	_ "embed"

	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/provider"
	"github.com/pulumi/pulumi-kubernetes/provider/v4/pkg/version"
)

//go:embed schema-embed.json
var pulumiSchema []byte

//go:embed terraform-mapping-embed.json
var terraformMapping []byte

func main() {
	// version.Version is set with -ldflags -X in targets, as the upstream release build does.
	provider.Serve("kubernetes", version.Version, pulumiSchema, terraformMapping)
}
