package redis

import (
	"testing"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/internal/activitytest"
)

func TestActivityConformance(t *testing.T) {
	activitytest.Run(t, func(t *testing.T, now func() time.Time) music.ActivityStore {
		c := openTest(t)
		return &Activity{Client: c, Prefix: testPrefix(t, c), Now: now}
	})
}
