// Package composecheck checks docker-compose.yml with compose-go, the loader
// `docker compose config` itself uses, so the file is known to parse on
// machines without Docker. It is a module of its own to keep compose-go's
// dependencies out of the server's module.
package composecheck

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/compose-spec/compose-go/v2/cli"
)

func TestComposeFileLoads(t *testing.T) {
	path, err := filepath.Abs("../../docker-compose.yml")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatal(err)
	}
	opts, err := cli.NewProjectOptions([]string{path}, cli.WithName("bildungsgraph"), cli.WithOsEnv)
	if err != nil {
		t.Fatal(err)
	}
	project, err := opts.LoadProject(context.Background())
	if err != nil {
		t.Fatalf("docker-compose.yml does not load: %v", err)
	}
	neo4j, err := project.GetService("neo4j")
	if err != nil {
		t.Fatal(err)
	}
	if neo4j.Image != "neo4j:5.26-community" {
		t.Errorf("neo4j image = %q, want neo4j:5.26-community", neo4j.Image)
	}
	if neo4j.HealthCheck == nil || len(neo4j.HealthCheck.Test) == 0 {
		t.Error("neo4j has no health check")
	}
	if len(neo4j.Volumes) == 0 {
		t.Error("neo4j keeps its data in no volume")
	}
	app, err := project.GetService("bildungsgraph")
	if err != nil {
		t.Fatal(err)
	}
	if app.Build == nil {
		t.Error("bildungsgraph is not built from the Dockerfile")
	}
	if dep, ok := app.DependsOn["neo4j"]; !ok || dep.Condition != "service_healthy" {
		t.Errorf("bildungsgraph must wait for a healthy neo4j: %+v", app.DependsOn)
	}
	for _, k := range []string{"BILDUNGSGRAPH_STORE", "NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"} {
		if v := app.Environment[k]; v == nil || *v == "" {
			t.Errorf("bildungsgraph environment lacks %s", k)
		}
	}
}
