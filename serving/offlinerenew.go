package serving

import (
	"net/http"
	"time"

	music "github.com/openmusic/music"
	"github.com/openmusic/music/offlinecrypt"
)

// Outcomes of renewing one licence.
const (
	renewRenewed  = "renewed"  // a new licence for 30 days
	renewDelete   = "delete"   // the device must delete the track or episode
	renewReplayed = "replayed" // this licence was renewed already
)

// renewItemJSON is one licence's outcome, for a track or an episode.
type renewItemJSON struct {
	Kind      string     `json:"kind"`
	TrackID   string     `json:"track_id,omitempty"`
	EpisodeID string     `json:"episode_id,omitempty"`
	Status    string     `json:"status"`
	Licence   string     `json:"licence,omitempty"`
	ExpiresAt *time.Time `json:"expires_at,omitempty"`
	Reason    string     `json:"reason,omitempty"`
}

// renew checks every licence first (signature, user, device: a bad one
// fails the whole request and renews nothing), then renews each track or
// episode the caller may still have. A takedown, a lapsed deal, an episode
// its feed dropped (or whose show is gone) or an item the device no
// longer holds answers delete.
func (a *offlineAPI) renew(w http.ResponseWriter, r *http.Request, me *music.User) error {
	var in struct {
		DeviceID string   `json:"device_id"`
		Licences []string `json:"licences"`
	}
	if err := decodeJSON(w, r, &in); err != nil {
		return err
	}
	if len(in.Licences) == 0 || len(in.Licences) > MaxOfflineBatch {
		return music.Errorf(music.EINVALID, "licences: want 1 to %d", MaxOfflineBatch)
	}
	dev, err := a.Store.OfflineDevice(r.Context(), me.ID, in.DeviceID)
	if err != nil {
		return err
	}
	parsed := make([]*offlinecrypt.Licence, len(in.Licences))
	for i, tok := range in.Licences {
		l, err := offlinecrypt.ParseLicence(a.Keys.Signer.PublicKey(), tok)
		if err != nil {
			return music.Errorf(music.EINVALID, "licences[%d]: %s", i, music.ErrorMessage(err))
		}
		if l.UserID != me.ID || l.DeviceID != dev.ID || len(l.IDs) != 1 {
			return music.Errorf(music.EFORBIDDEN, "licences[%d]: licence %s is for another user or device", i, l.ID)
		}
		parsed[i] = l
	}
	v, err := a.s.visibility(r)
	if err != nil {
		return err
	}
	now := a.s.Now()
	out := struct {
		Items []renewItemJSON `json:"items"`
	}{Items: make([]renewItemJSON, 0, len(parsed))}
	for _, l := range parsed {
		item, err := a.renewOne(r, me, dev, l, v, now)
		if err != nil {
			return err
		}
		out.Items = append(out.Items, item)
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

func (a *offlineAPI) renewOne(r *http.Request, me *music.User, dev *music.OfflineDevice, l *offlinecrypt.Licence, v music.Visibility, now time.Time) (renewItemJSON, error) {
	ctx := r.Context()
	held := music.OfflineItem{Kind: l.Kind, ID: l.IDs[0]}
	item := renewItemJSON{Kind: held.Kind}
	if held.Kind == music.OfflineEpisode {
		item.EpisodeID = held.ID
	} else {
		item.TrackID = held.ID
	}
	if reason, err := a.unavailable(ctx, held, v); err != nil {
		return item, err
	} else if reason != "" {
		// No longer the caller's to hold: forget it too.
		if err := a.Store.RemoveOffline(ctx, me.ID, dev.ID, []music.OfflineItem{held}); err != nil {
			return item, err
		}
		item.Status, item.Reason = renewDelete, reason
		return item, nil
	}
	lid, err := licenceID()
	if err != nil {
		return item, err
	}
	exp := now.Add(music.OfflineLicenceWindow)
	err = a.Store.RenewOffline(ctx, me.ID, dev.ID, held, l.ID, lid, exp)
	switch music.ErrorCode(err) {
	case "":
	case music.ENOTFOUND:
		item.Status, item.Reason = renewDelete, "the "+held.Kind+" is not downloaded to this device"
		return item, nil
	case music.ECONFLICT:
		item.Status, item.Reason = renewReplayed, music.ErrorMessage(err)
		return item, nil
	default:
		return item, err
	}
	tok, err := a.Keys.Signer.Sign(offlinecrypt.Licence{ID: lid, UserID: me.ID, DeviceID: dev.ID, Kind: held.Kind, IDs: []string{held.ID}, IssuedAt: now, Expires: exp})
	if err != nil {
		return item, err
	}
	item.Status, item.Licence, item.ExpiresAt = renewRenewed, tok, &exp
	return item, nil
}
