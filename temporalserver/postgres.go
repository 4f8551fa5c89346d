package temporalserver

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"go.temporal.io/api/serviceerror"
	"go.temporal.io/api/workflowservice/v1"
	"go.temporal.io/sdk/client"
	sdklog "go.temporal.io/sdk/log"
	"go.temporal.io/server/common/config"
	"go.temporal.io/server/common/log"
	pgplugin "go.temporal.io/server/common/persistence/sql/sqlplugin/postgresql"
	"go.temporal.io/server/temporal"
	schematool "go.temporal.io/server/tools/common/schema"
	sqltool "go.temporal.io/server/tools/sql"
	"google.golang.org/protobuf/types/known/durationpb"
)

// postgresShards is the number of history shards on PostgreSQL. It is
// fixed for the life of a database; more than one lets the shards spread
// over, and move between, several server processes.
const postgresShards = 4

// Schemas the server's own SQL tool applies, from the schema files
// embedded in the server module.
const (
	postgresSchema           = "postgresql/v12/temporal"
	postgresVisibilitySchema = "postgresql/v12/visibility"
)

// schemaLockID is the advisory lock that lets only one process at a time
// create or upgrade the schema when several start together.
const schemaLockID = 7233_0001

// postgresStores parses a postgres:// URL into the main store and the
// visibility store (database NAME_visibility on the same server).
func postgresStores(dsn string) (main, visibility *config.SQL, err error) {
	u, err := url.Parse(dsn)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") || u.Host == "" {
		return nil, nil, fmt.Errorf("-db %q: want postgres://USER[:PASSWORD]@HOST:PORT/DATABASE", redactDSN(dsn))
	}
	name := strings.TrimPrefix(u.Path, "/")
	if name == "" {
		return nil, nil, fmt.Errorf("-db %s: the URL names no database", redactDSN(dsn))
	}
	host := u.Host
	if u.Port() == "" {
		host += ":5432"
	}
	pw, _ := u.User.Password()
	mk := func(db string) *config.SQL {
		return &config.SQL{
			PluginName:      pgplugin.PluginNamePGX,
			DatabaseName:    db,
			ConnectAddr:     host,
			ConnectProtocol: "tcp",
			User:            u.User.Username(),
			Password:        pw,
			MaxConns:        20,
			MaxIdleConns:    20,
			MaxConnLifetime: time.Hour,
		}
	}
	return mk(name), mk(name + "_visibility"), nil
}

// redactDSN hides a password in a URL shown in an error.
func redactDSN(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		return "(unparsable URL)"
	}
	return u.Redacted()
}

// preparePostgres creates the two databases when missing and brings
// their schemas to the version this server needs, holding an advisory
// lock so that processes starting together take turns. It returns with
// the lock still held: the server writes its cluster metadata as it
// starts, and two first starts writing it together fail one of them
// ("SaveClusterMetadata encountered version mismatch"). The caller
// releases the lock once its server is up, or has failed.
func preparePostgres(ctx context.Context, dsn string, stores ...*config.SQL) (release func(), err error) {
	conn, err := pgx.Connect(ctx, adminDSN(dsn))
	if err != nil {
		return nil, fmt.Errorf("-db %s: %v", redactDSN(dsn), err)
	}
	release = func() {
		conn.Exec(context.Background(), "SELECT pg_advisory_unlock($1)", schemaLockID)
		conn.Close(context.Background())
	}
	if _, err := conn.Exec(ctx, "SELECT pg_advisory_lock($1)", schemaLockID); err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("-db %s: schema lock: %v", redactDSN(dsn), err)
	}
	schemas := []string{postgresSchema, postgresVisibilitySchema}
	for i, s := range stores {
		if err := createDatabase(ctx, conn, s.DatabaseName); err != nil {
			release()
			return nil, fmt.Errorf("-db %s: %v", redactDSN(dsn), err)
		}
		if err := upgradeSchema(s, schemas[i]); err != nil {
			release()
			return nil, fmt.Errorf("-db %s: temporal schema %s in database %s: %v", redactDSN(dsn), schemas[i], s.DatabaseName, err)
		}
	}
	return release, nil
}

// adminDSN is dsn pointed at the maintenance database "postgres", where
// CREATE DATABASE runs.
func adminDSN(dsn string) string {
	u, _ := url.Parse(dsn)
	u.Path = "/postgres"
	q := u.Query()
	if q.Get("sslmode") == "" {
		q.Set("sslmode", "disable")
	}
	u.RawQuery = q.Encode()
	return u.String()
}

func createDatabase(ctx context.Context, conn *pgx.Conn, name string) error {
	var exists bool
	if err := conn.QueryRow(ctx, "SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)", name).Scan(&exists); err != nil {
		return err
	}
	if exists {
		return nil
	}
	_, err := conn.Exec(ctx, "CREATE DATABASE "+pgx.Identifier{name}.Sanitize())
	return err
}

// upgradeSchema runs the SQL tool's setup (version tables only, at 0.0,
// the first time) and update (every versioned step not applied yet).
func upgradeSchema(store *config.SQL, schemaName string) error {
	logger := log.NewNoopLogger()
	conn, err := sqltool.NewConnection(store, logger)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ReadSchemaVersion(); err != nil {
		// No version table yet: a new database.
		setup := schematool.NewSetupSchemaTask(conn, &schematool.SetupConfig{InitialVersion: "0.0"}, logger)
		if err := setup.Run(); err != nil {
			return err
		}
	}
	update := schematool.NewUpdateSchemaTask(conn, &schematool.UpdateConfig{DBName: store.DatabaseName, SchemaName: schemaName}, logger)
	return update.Run()
}

// postgresOptions puts the server on PostgreSQL with ringpop membership:
// every process sharing the database joins one ring, and the history
// shards and task queues are spread over, and move between, them. The
// caller calls release once the server is up (see preparePostgres).
func postgresOptions(ctx context.Context, dsn string, p ports) (opts []temporal.ServerOption, release func(), err error) {
	main, visibility, err := postgresStores(dsn)
	if err != nil {
		return nil, nil, err
	}
	if release, err = preparePostgres(ctx, dsn, main, visibility); err != nil {
		return nil, nil, err
	}
	return []temporal.ServerOption{temporal.WithConfig(buildConfig(main, visibility, postgresShards, p))}, release, nil
}

// registerNamespace waits for the frontend, then registers namespace
// unless another process already has, and waits until this frontend
// knows it (namespace caches refresh every few seconds).
func registerNamespace(ctx context.Context, addr, namespace string, logger sdklog.Logger) error {
	if err := waitHealthy(ctx, addr, namespace, logger); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	c, err := client.NewNamespaceClient(client.Options{HostPort: addr, Logger: logger})
	if err != nil {
		return fmt.Errorf("temporal namespace %q: %w", namespace, err)
	}
	defer c.Close()
	retention := durationpb.New(7 * 24 * time.Hour)
	for {
		err := c.Register(ctx, &workflowservice.RegisterNamespaceRequest{Namespace: namespace, WorkflowExecutionRetentionPeriod: retention})
		var exists *serviceerror.NamespaceAlreadyExists
		if err == nil || errors.As(err, &exists) {
			if _, err = c.Describe(ctx, namespace); err == nil {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("temporal namespace %q at %s: %v", namespace, addr, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}
