// Package offlinetest is the conformance suite of music.OfflineStore, run
// by every implementation on each of its backends.
package offlinetest

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	music "github.com/openmusic/music"
)

// Store is what the suite exercises.
type Store interface {
	music.OfflineStore
	music.UserStore
}

// Run runs the suite; open returns a fresh, empty store for one test.
func Run(t *testing.T, open func(t *testing.T) Store) {
	t.Run("Devices", func(t *testing.T) { testDevices(t, open(t)) })
	t.Run("DeviceLimitUnderRace", func(t *testing.T) { testDeviceLimitUnderRace(t, open(t)) })
	t.Run("Grants", func(t *testing.T) { testGrants(t, open(t)) })
	t.Run("Renewal", func(t *testing.T) { testRenewal(t, open(t)) })
	t.Run("Episodes", func(t *testing.T) { testEpisodes(t, open(t)) })
	t.Run("Objects", func(t *testing.T) { testObjects(t, open(t)) })
}

var ctx = context.Background()

func user(t *testing.T, s Store, name string) string {
	t.Helper()
	u, _, err := s.CreateUser(ctx, name, music.RoleListener, "GB")
	if err != nil {
		t.Fatal(err)
	}
	return u.ID
}

func key(b byte) []byte { return bytes.Repeat([]byte{b}, 32) }

func wantCode(t *testing.T, what string, err error, code string) {
	t.Helper()
	if music.ErrorCode(err) != code {
		t.Errorf("%s: err %v, want code %s", what, err, code)
	}
}

func testDevices(t *testing.T, s Store) {
	alice, bob := user(t, s, "alice"), user(t, s, "bob")
	d1, err := s.EnrolOfflineDevice(ctx, alice, "phone", key(1), 2)
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.OfflineDevice(ctx, alice, d1.ID)
	if err != nil || got.Name != "phone" || !bytes.Equal(got.PublicKey, key(1)) || got.UserID != alice {
		t.Fatalf("device read back %+v, %v", got, err)
	}
	_, err = s.OfflineDevice(ctx, bob, d1.ID)
	wantCode(t, "another user's device", err, music.ENOTFOUND)
	if _, err := s.EnrolOfflineDevice(ctx, alice, "laptop", key(2), 2); err != nil {
		t.Fatal(err)
	}
	_, err = s.EnrolOfflineDevice(ctx, alice, "tablet", key(3), 2)
	wantCode(t, "third device over a limit of 2", err, music.EUNPROCESSABLE)
	_, err = s.EnrolOfflineDevice(ctx, alice, "", key(3), 5)
	wantCode(t, "no name", err, music.EINVALID)
	_, err = s.EnrolOfflineDevice(ctx, alice, "short key", []byte{1}, 5)
	wantCode(t, "short key", err, music.EINVALID)
	if list, err := s.OfflineDevices(ctx, alice); err != nil || len(list) != 2 || list[0].ID != d1.ID {
		t.Fatalf("alice's devices: %+v, %v", list, err)
	}
	wantCode(t, "bob revokes alice's device", s.RevokeOfflineDevice(ctx, bob, d1.ID), music.ENOTFOUND)
	if err := s.RevokeOfflineDevice(ctx, alice, d1.ID); err != nil {
		t.Fatal(err)
	}
	_, err = s.OfflineDevice(ctx, alice, d1.ID)
	wantCode(t, "revoked device", err, music.ENOTFOUND)
	if _, err := s.EnrolOfflineDevice(ctx, alice, "tablet", key(3), 2); err != nil {
		t.Fatalf("revoking freed no slot: %v", err)
	}
}

// testDeviceLimitUnderRace enrols 12 devices at once against a limit of
// 5: exactly 5 may win.
func testDeviceLimitUnderRace(t *testing.T, s Store) {
	u := user(t, s, "racer")
	var wg sync.WaitGroup
	var mu sync.Mutex
	won := 0
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := s.EnrolOfflineDevice(ctx, u, fmt.Sprintf("d%d", i), key(byte(i)), 5)
			mu.Lock()
			defer mu.Unlock()
			switch music.ErrorCode(err) {
			case "":
				won++
			case music.EUNPROCESSABLE:
			default:
				t.Errorf("enrol %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	list, err := s.OfflineDevices(ctx, u)
	if err != nil || won != 5 || len(list) != 5 {
		t.Fatalf("%d enrolments won, %d devices stored (%v); want 5", won, len(list), err)
	}
}

func track(id string) music.OfflineItem { return music.OfflineItem{Kind: music.OfflineTrack, ID: id} }
func episode(id string) music.OfflineItem {
	return music.OfflineItem{Kind: music.OfflineEpisode, ID: id}
}

func grant(track, licence string, exp time.Time) music.OfflineGrant {
	return grantOf(music.OfflineItem{Kind: music.OfflineTrack, ID: track}, licence, exp)
}

func grantOf(it music.OfflineItem, licence string, exp time.Time) music.OfflineGrant {
	return music.OfflineGrant{OfflineItem: it, Rung: music.Rung160, LicenceID: licence, Expires: exp}
}

func testGrants(t *testing.T, s Store) {
	alice, bob := user(t, s, "alice"), user(t, s, "bob")
	phone, _ := s.EnrolOfflineDevice(ctx, alice, "phone", key(1), 5)
	laptop, _ := s.EnrolOfflineDevice(ctx, alice, "laptop", key(2), 5)
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grant("t1", "L1", exp), grant("t2", "L2", exp)}, 3); err != nil {
		t.Fatal(err)
	}
	// Granting a held track again replaces it and does not count twice.
	if err := s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grant("t2", "L2b", exp)}, 3); err != nil {
		t.Fatal(err)
	}
	err := s.GrantOffline(ctx, alice, laptop.ID, []music.OfflineGrant{grant("t1", "L3", exp), grant("t4", "L4", exp)}, 3)
	wantCode(t, "fourth download over a limit of 3 across devices", err, music.EUNPROCESSABLE)
	if held, _ := s.OfflineDownloads(ctx, alice, laptop.ID); len(held) != 0 {
		t.Fatalf("a refused grant left %d downloads", len(held))
	}
	err = s.GrantOffline(ctx, bob, phone.ID, []music.OfflineGrant{grant("t1", "L5", exp)}, 3)
	wantCode(t, "grant to another user's device", err, music.ENOTFOUND)
	err = s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{{OfflineItem: track("t9")}}, 3)
	wantCode(t, "incomplete grant", err, music.EINVALID)
	held, err := s.OfflineDownloads(ctx, alice, phone.ID)
	if err != nil || len(held) != 2 || held[1].ID != "t2" || held[1].Kind != music.OfflineTrack || held[1].LicenceID != "L2b" || !held[1].Expires.Equal(exp) || held[1].Rung != music.Rung160 {
		t.Fatalf("phone holds %+v, %v", held, err)
	}
	if held, _ := s.OfflineDownloads(ctx, bob, phone.ID); len(held) != 0 {
		t.Fatalf("bob sees alice's downloads: %+v", held)
	}
	if err := s.RemoveOffline(ctx, alice, phone.ID, []music.OfflineItem{track("t1"), track("t1"), track("missing")}); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantOffline(ctx, alice, laptop.ID, []music.OfflineGrant{grant("t1", "L3", exp), grant("t4", "L4", exp)}, 3); err != nil {
		t.Fatalf("after a removal the grant fits: %v", err)
	}
	if err := s.RevokeOfflineDevice(ctx, alice, laptop.ID); err != nil {
		t.Fatal(err)
	}
	if held, _ := s.OfflineDownloads(ctx, alice, laptop.ID); len(held) != 0 {
		t.Fatalf("a revoked device still holds %d downloads", len(held))
	}
}

func testRenewal(t *testing.T, s Store) {
	alice, bob := user(t, s, "alice"), user(t, s, "bob")
	phone, _ := s.EnrolOfflineDevice(ctx, alice, "phone", key(1), 5)
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grant("t1", "L1", exp)}, 10); err != nil {
		t.Fatal(err)
	}
	later := exp.Add(30 * 24 * time.Hour)
	if err := s.RenewOffline(ctx, alice, phone.ID, track("t1"), "L1", "L2", later); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "replayed renewal", s.RenewOffline(ctx, alice, phone.ID, track("t1"), "L1", "L3", later), music.ECONFLICT)
	wantCode(t, "renewal of a track not held", s.RenewOffline(ctx, alice, phone.ID, track("t2"), "L1", "L3", later), music.ENOTFOUND)
	wantCode(t, "bob renews alice's licence", s.RenewOffline(ctx, bob, phone.ID, track("t1"), "L2", "L3", later), music.ENOTFOUND)
	held, _ := s.OfflineDownloads(ctx, alice, phone.ID)
	if len(held) != 1 || held[0].LicenceID != "L2" || !held[0].Expires.Equal(later) {
		t.Fatalf("after renewals: %+v", held)
	}
	if err := s.RevokeOfflineDevice(ctx, alice, phone.ID); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "renewal on a revoked device", s.RenewOffline(ctx, alice, phone.ID, track("t1"), "L2", "L3", later), music.ENOTFOUND)
}

// testEpisodes holds a podcast episode beside a track: it counts towards
// the same limit, renews and is removed by its kind only.
func testEpisodes(t *testing.T, s Store) {
	alice := user(t, s, "alice")
	phone, _ := s.EnrolOfflineDevice(ctx, alice, "phone", key(1), 5)
	exp := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grant("t1", "L1", exp), grantOf(episode("ep_1"), "L2", exp)}, 2); err != nil {
		t.Fatal(err)
	}
	err := s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grantOf(episode("ep_2"), "L3", exp)}, 2)
	wantCode(t, "an episode over a limit of 2 that a track and an episode fill", err, music.EUNPROCESSABLE)
	err = s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grantOf(music.OfflineItem{Kind: "video", ID: "v1"}, "L4", exp)}, 5)
	wantCode(t, "an unknown kind", err, music.EINVALID)
	held, err := s.OfflineDownloads(ctx, alice, phone.ID)
	if err != nil || len(held) != 2 || held[0].OfflineItem != episode("ep_1") || held[1].OfflineItem != track("t1") {
		t.Fatalf("phone holds %+v, %v", held, err)
	}
	later := exp.Add(30 * 24 * time.Hour)
	wantCode(t, "an episode renewed as a track", s.RenewOffline(ctx, alice, phone.ID, track("ep_1"), "L2", "L5", later), music.ENOTFOUND)
	if err := s.RenewOffline(ctx, alice, phone.ID, episode("ep_1"), "L2", "L5", later); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "a replayed episode renewal", s.RenewOffline(ctx, alice, phone.ID, episode("ep_1"), "L2", "L6", later), music.ECONFLICT)
	if err := s.RemoveOffline(ctx, alice, phone.ID, []music.OfflineItem{track("ep_1")}); err != nil {
		t.Fatal(err)
	}
	if held, _ := s.OfflineDownloads(ctx, alice, phone.ID); len(held) != 2 || held[0].LicenceID != "L5" {
		t.Fatalf("removing the episode's ID as a track removed it: %+v", held)
	}
	wantCode(t, "removal of an unknown kind", s.RemoveOffline(ctx, alice, phone.ID, []music.OfflineItem{{Kind: "", ID: "ep_1"}}), music.EINVALID)
	if err := s.RemoveOffline(ctx, alice, phone.ID, []music.OfflineItem{episode("ep_1")}); err != nil {
		t.Fatal(err)
	}
	if err := s.GrantOffline(ctx, alice, phone.ID, []music.OfflineGrant{grantOf(episode("ep_2"), "L3", exp)}, 2); err != nil {
		t.Fatalf("after removing an episode another fits: %v", err)
	}
}

func testObjects(t *testing.T, s Store) {
	_, err := s.OfflineObject(ctx, "audio/t1/abc/160.ogg")
	wantCode(t, "no object yet", err, music.ENOTFOUND)
	first := music.OfflineObject{RenditionKey: "audio/t1/abc/160.ogg", BlobKey: "offline/audio/t1/abc/160.mofl", Bytes: 100, SHA256: "aa", SealedKey: []byte{1, 2, 3}}
	kept, err := s.PutOfflineObject(ctx, first)
	if err != nil || kept.BlobKey != first.BlobKey || !bytes.Equal(kept.SealedKey, first.SealedKey) || kept.Bytes != 100 {
		t.Fatalf("put: %+v, %v", kept, err)
	}
	second := first
	second.SHA256, second.SealedKey = "bb", []byte{9}
	kept, err = s.PutOfflineObject(ctx, second)
	if err != nil || kept.SHA256 != "aa" || !bytes.Equal(kept.SealedKey, []byte{1, 2, 3}) {
		t.Fatalf("second put replaced the first: %+v, %v", kept, err)
	}
	_, err = s.PutOfflineObject(ctx, music.OfflineObject{RenditionKey: "x"})
	wantCode(t, "incomplete object", err, music.EINVALID)
}
