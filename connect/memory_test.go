package connect_test

import (
	"testing"
	"time"

	"github.com/openmusic/music/connect"
	"github.com/openmusic/music/internal/connecttest"
)

// memoryBackend: one Memory stands for both processes, as in musicctl up.
var memoryBackend = connecttest.Backend{Pair: func(t *testing.T, now func() time.Time) (connect.PlayerStore, connect.PlayerStore) {
	m := connect.NewMemory()
	m.Now = now
	return m, m
}}

func TestMemoryStore(t *testing.T)   { connecttest.RunStore(t, memoryBackend) }
func TestMemoryService(t *testing.T) { connecttest.RunService(t, memoryBackend) }
