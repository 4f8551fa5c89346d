package temporalserver

import (
	"fmt"
	"net"
	"strconv"

	uiserver "github.com/temporalio/ui-server/v2/server"
	uiconfig "github.com/temporalio/ui-server/v2/server/config"
	"github.com/temporalio/ui-server/v2/server/server_options"
)

type uiServer struct {
	srv  *uiserver.Server
	addr string
}

// startUI serves the Temporal Web UI for the frontend at temporalAddr.
// The UI server exits the process when it cannot listen, so the address
// is proven free first.
func startUI(addr, temporalAddr, namespace string) (*uiServer, error) {
	host, port, err := checkListen("--ui-listen", addr)
	if err != nil {
		return nil, err
	}
	cfg := &uiconfig.Config{
		Host:                host,
		Port:                port,
		TemporalGRPCAddress: temporalAddr,
		EnableUI:            true,
		DefaultNamespace:    namespace,
		HideLogs:            true,
		DisableNewsFetch:    true,
		CORS:                uiconfig.CORS{CookieInsecure: true},
	}
	srv := uiserver.NewServer(server_options.WithConfigProvider(cfg))
	go func() { _ = srv.Start() }()
	hp := net.JoinHostPort(host, strconv.Itoa(port))
	if err := waitTCP(hp); err != nil {
		srv.Stop()
		return nil, fmt.Errorf("--ui-listen %s: %v", addr, err)
	}
	return &uiServer{srv: srv, addr: hp}, nil
}

func (u *uiServer) stop() { u.srv.Stop() }
