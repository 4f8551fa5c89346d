//go:build tools

// Package pins pins the module versions that are known to build together
// (docs/architecture.md, "Dependencies"): go.mod keeps them required even
// before a package imports them for real. The build tag keeps it out of
// every build; only `go mod tidy` reads it.
package pins

import (
	_ "github.com/aws/aws-sdk-go-v2/config"
	_ "github.com/aws/aws-sdk-go-v2/service/s3"
	_ "github.com/blevesearch/bleve/v2"
	_ "github.com/coder/websocket"
	_ "github.com/elastic/go-elasticsearch/v8"
	_ "github.com/go-audio/wav"
	_ "github.com/jackc/pgx/v5"
	_ "github.com/jfreymuth/oggvorbis"
	_ "github.com/mewkiz/flac"
	_ "github.com/nats-io/nats-server/v2/server"
	_ "github.com/nats-io/nats.go"
	_ "github.com/parquet-go/parquet-go"
	_ "github.com/prometheus/client_golang/prometheus"
	_ "github.com/redis/go-redis/v9"
	_ "github.com/spf13/cobra"
	_ "github.com/temporalio/ui-server/v2/server"
	_ "github.com/vbauerster/mpb/v8"
	_ "go.temporal.io/api/workflowservice/v1"
	_ "go.temporal.io/sdk/client"
	_ "go.temporal.io/server/temporal"
	_ "gonum.org/v1/gonum/dsp/fourier"
	_ "modernc.org/sqlite"
)
