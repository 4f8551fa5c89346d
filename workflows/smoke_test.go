package workflows

import (
	"context"
	"testing"

	"github.com/openmusic/music/filestore"
	"go.temporal.io/sdk/testsuite"
)

func TestSmokeWritesAndVerifiesBlob(t *testing.T) {
	blobs, err := filestore.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterActivity(&Activities{Blobs: blobs})
	env.ExecuteWorkflow(Smoke, SmokeInput{Name: "t1"})
	if err := env.GetWorkflowError(); err != nil {
		t.Fatal(err)
	}
	var res SmokeResult
	if err := env.GetWorkflowResult(&res); err != nil {
		t.Fatal(err)
	}
	info, err := blobs.Stat(context.Background(), "smoke/t1")
	if err != nil || info.SHA256 != res.SHA256 || res.Bytes != info.Size {
		t.Fatalf("result %+v, stored %+v, err %v", res, info, err)
	}
}

func TestSmokeRejectsEmptyName(t *testing.T) {
	blobs, err := filestore.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	var suite testsuite.WorkflowTestSuite
	env := suite.NewTestWorkflowEnvironment()
	env.RegisterActivity(&Activities{Blobs: blobs})
	env.ExecuteWorkflow(Smoke, SmokeInput{})
	if env.GetWorkflowError() == nil {
		t.Fatal("empty name accepted")
	}
}
