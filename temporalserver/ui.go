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
	srv   *uiserver.Server
	proxy *basicAuthProxy // nil without Config.UIAuth
	addr  string
}

// startUI serves the Temporal Web UI for the frontend at temporalAddr,
// read-only unless cfg.UIWriteActions, and behind basic auth on
// cfg.UIAddr when cfg.UIAuth is set (the UI itself then listens on a
// loopback port). The UI server exits the process when it cannot listen,
// so the address is proven free first.
func startUI(c Config, temporalAddr string) (*uiServer, error) {
	addr := c.UIAddr
	if c.UIAuth != "" {
		addr = "127.0.0.1:0"
	}
	host, port, err := checkListen("--ui-listen", addr)
	if err != nil {
		return nil, err
	}
	cfg := &uiconfig.Config{
		Host:                host,
		Port:                port,
		TemporalGRPCAddress: temporalAddr,
		EnableUI:            true,
		DefaultNamespace:    c.Namespace,
		DisableWriteActions: !c.UIWriteActions,
		HideLogs:            true,
		DisableNewsFetch:    true,
		CORS:                uiconfig.CORS{CookieInsecure: true},
	}
	srv := uiserver.NewServer(server_options.WithConfigProvider(cfg))
	go func() { _ = srv.Start() }()
	hp := net.JoinHostPort(host, strconv.Itoa(port))
	if err := waitTCP(hp); err != nil {
		srv.Stop()
		return nil, fmt.Errorf("--ui-listen %s: %v", c.UIAddr, err)
	}
	if c.UIAuth == "" {
		return &uiServer{srv: srv, addr: hp}, nil
	}
	proxy, err := startBasicAuthProxy(c.UIAddr, hp, c.UIAuth)
	if err != nil {
		srv.Stop()
		return nil, err
	}
	return &uiServer{srv: srv, proxy: proxy, addr: proxy.addr}, nil
}

func (u *uiServer) stop() {
	if u.proxy != nil {
		u.proxy.stop()
	}
	u.srv.Stop()
}
