// Package deliverytest writes DDEX ERN 4.3 deliveries from real audio
// files, with decoded durations and file hashes filled in, for the ingest
// tests and `make demo`. The message follows the shape of the official
// sample 1_Audio.xml: parties, sound recordings with a DeliveryFile each,
// one album release with its track list, and a worldwide streaming deal.
package deliverytest

import (
	"crypto/md5"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"text/template"
	"time"

	"github.com/openmusic/music/encode"
)

// Track is one sound recording of a generated delivery.
type Track struct {
	ISRC   string
	Title  string
	Source string // audio file copied into resources/
	// PreviewStart is the ClipDetails StartPoint in seconds; "" leaves
	// the choice of preview to the platform.
	PreviewStart string
}

// Release is a generated delivery. Empty fields get defaults.
type Release struct {
	UPC       string // 12 or 13 digits with a valid check digit (see UPC)
	Title     string
	Artist    string
	Label     string
	Sender    string // DDEX party ID, e.g. PADPIDA2026112701X
	MessageID string
	DealStart string // YYYY-MM-DD; default 2020-01-01
	Tracks    []Track
}

// ISRC returns a valid test ISRC numbered n (registrant QZOM7).
func ISRC(year, n int) string { return fmt.Sprintf("QZOM7%02d%05d", year%100, n) }

// UPC returns the 12-digit UPC-A with body n (11 digits) and its check
// digit.
func UPC(n int64) string {
	body := fmt.Sprintf("%011d", n)
	sum := 0
	for i, c := range body { // weights 3,1,3,… from the left of 11 digits
		d := int(c - '0')
		if i%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return body + fmt.Sprint((10-sum%10)%10)
}

// Write creates dir/<UPC>.xml and dir/resources/ with every track's audio
// (renamed <UPC>_01_<NN><ext>) and returns the message path.
func Write(dir string, r Release) (string, error) {
	r = withDefaults(r)
	if err := os.MkdirAll(filepath.Join(dir, "resources"), 0o755); err != nil {
		return "", err
	}
	var tracks []messageTrack
	for i, t := range r.Tracks {
		uri := fmt.Sprintf("resources/%s_01_%02d%s", r.UPC, i+1, strings.ToLower(filepath.Ext(t.Source)))
		dst := filepath.Join(dir, filepath.FromSlash(uri))
		sum, err := copyHashed(t.Source, dst)
		if err != nil {
			return "", err
		}
		f, frames, err := encode.Probe(dst)
		if err != nil {
			return "", err
		}
		secs := float64(frames) / float64(f.SampleRate)
		tracks = append(tracks, messageTrack{Track: t, N: i + 1, URI: uri, MD5: sum,
			Codec: codecName(f.Codec), Duration: isoDuration(secs)})
	}
	path := filepath.Join(dir, r.UPC+".xml")
	out, err := os.Create(path)
	if err != nil {
		return "", err
	}
	if err := message.Execute(out, struct {
		Release
		Tracks  []messageTrack
		Created string
	}{r, tracks, time.Now().UTC().Format(time.RFC3339)}); err != nil {
		out.Close()
		return "", err
	}
	return path, out.Close()
}

type messageTrack struct {
	Track
	N                         int
	URI, MD5, Codec, Duration string
}

func withDefaults(r Release) Release {
	def := func(s *string, v string) {
		if *s == "" {
			*s = v
		}
	}
	def(&r.UPC, UPC(19599900002))
	def(&r.Title, "Open Music Demo")
	def(&r.Artist, "The Wesnoth Ensemble")
	def(&r.Label, "Open Music Test Label")
	def(&r.Sender, "PADPIDA2026112701X")
	def(&r.MessageID, "OMDEMO-"+r.UPC+"-1")
	def(&r.DealStart, "2020-01-01")
	return r
}

// copyHashed copies src to dst and returns dst's MD5 (the HashSum
// algorithm most labels send).
func copyHashed(src, dst string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	h := md5.New()
	if _, err := io.Copy(io.MultiWriter(out, h), in); err != nil {
		out.Close()
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), out.Close()
}

// SHA256Reader returns the lowercase hex SHA-256 of everything r yields;
// tests use it to re-verify stored blobs against the catalog.
func SHA256Reader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

func codecName(c string) string {
	switch {
	case c == "flac":
		return "FLAC"
	case c == "vorbis":
		return "OggVorbis"
	default:
		return "WAV"
	}
}

// xmlText escapes s for XML character data.
func xmlText(s string) string {
	var b strings.Builder
	_ = xml.EscapeText(&b, []byte(s))
	return b.String()
}

// isoDuration formats seconds as an ISO 8601 duration, e.g. PT3M21.5S.
func isoDuration(secs float64) string {
	m := int(secs) / 60
	return fmt.Sprintf("PT%dM%.3fS", m, secs-float64(m*60))
}

var message = template.Must(template.New("ern").Funcs(template.FuncMap{"x": xmlText}).Parse(`<?xml version="1.0" encoding="UTF-8"?>
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"
   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
   xsi:schemaLocation="http://ddex.net/xml/ern/43 http://ddex.net/xml/ern/43/release-notification.xsd"
   ReleaseProfileVersionId="Audio" LanguageAndScriptCode="en" AvsVersionId="3">
   <MessageHeader>
      <MessageThreadId>{{.MessageID}}</MessageThreadId>
      <MessageId>{{.MessageID}}</MessageId>
      <MessageSender>
         <PartyId>{{.Sender}}</PartyId>
         <PartyName><FullName>{{x .Label}}</FullName></PartyName>
      </MessageSender>
      <MessageRecipient>
         <PartyId>PADPIDA2026112702Y</PartyId>
         <PartyName><FullName>Open Music Platform</FullName></PartyName>
      </MessageRecipient>
      <MessageCreatedDateTime>{{.Created}}</MessageCreatedDateTime>
      <MessageControlType>LiveMessage</MessageControlType>
   </MessageHeader>
   <PartyList>
      <Party>
         <PartyReference>PArtist</PartyReference>
         <PartyName><FullName>{{x .Artist}}</FullName></PartyName>
      </Party>
      <Party>
         <PartyReference>PLabel</PartyReference>
         <PartyName><FullName>{{x .Label}}</FullName></PartyName>
      </Party>
   </PartyList>
   <ResourceList>{{range .Tracks}}
      <SoundRecording>
         <ResourceReference>A{{.N}}</ResourceReference>
         <Type>MusicalWorkSoundRecording</Type>
         <SoundRecordingEdition>
            <ResourceId><ISRC>{{.ISRC}}</ISRC></ResourceId>
            <PLine><Year>2026</Year><PLineText>(P) 2026 {{x $.Label}}</PLineText></PLine>
            <TechnicalDetails>
               <TechnicalResourceDetailsReference>T{{.N}}</TechnicalResourceDetailsReference>
               <DeliveryFile>
                  <Type>AudioFile</Type>
                  <AudioCodecType>{{.Codec}}</AudioCodecType>
                  <File>
                     <URI>{{.URI}}</URI>
                     <HashSum><Algorithm>MD5</Algorithm><HashSumValue>{{.MD5}}</HashSumValue></HashSum>
                  </File>
               </DeliveryFile>{{if .PreviewStart}}
               <ClipDetails>
                  <TechnicalResourceDetailsReference>T{{.N}}C</TechnicalResourceDetailsReference>
                  <ClipType>Preview</ClipType>
                  <Timing><StartPoint>{{.PreviewStart}}</StartPoint><DurationUsed>PT30S</DurationUsed></Timing>
                  <ExpressionType>Informative</ExpressionType>
               </ClipDetails>{{end}}
            </TechnicalDetails>
         </SoundRecordingEdition>
         <DisplayTitleText>{{x .Title}}</DisplayTitleText>
         <DisplayTitle ApplicableTerritoryCode="Worldwide" IsDefault="true"><TitleText>{{x .Title}}</TitleText></DisplayTitle>
         <DisplayArtistName ApplicableTerritoryCode="Worldwide" IsDefault="true">{{x $.Artist}}</DisplayArtistName>
         <DisplayArtist SequenceNumber="1">
            <ArtistPartyReference>PArtist</ArtistPartyReference>
            <DisplayArtistRole>MainArtist</DisplayArtistRole>
         </DisplayArtist>
         <Duration>{{.Duration}}</Duration>
         <ParentalWarningType>NotExplicit</ParentalWarningType>
         <Genre ApplicableTerritoryCode="Worldwide"><GenreText>Soundtrack</GenreText></Genre>
      </SoundRecording>{{end}}
   </ResourceList>
   <ReleaseList>
      <Release>
         <ReleaseReference>R0</ReleaseReference>
         <ReleaseType>Album</ReleaseType>
         <ReleaseId><ICPN>{{.UPC}}</ICPN></ReleaseId>
         <DisplayTitleText>{{x .Title}}</DisplayTitleText>
         <DisplayTitle ApplicableTerritoryCode="Worldwide" IsDefault="true"><TitleText>{{x .Title}}</TitleText></DisplayTitle>
         <DisplayArtistName ApplicableTerritoryCode="Worldwide" IsDefault="true">{{x .Artist}}</DisplayArtistName>
         <DisplayArtist SequenceNumber="1">
            <ArtistPartyReference>PArtist</ArtistPartyReference>
            <DisplayArtistRole>MainArtist</DisplayArtistRole>
         </DisplayArtist>
         <ReleaseLabelReference ApplicableTerritoryCode="Worldwide">PLabel</ReleaseLabelReference>
         <PLine><Year>2026</Year><PLineText>(P) 2026 {{x .Label}}</PLineText></PLine>
         <Genre ApplicableTerritoryCode="Worldwide"><GenreText>Soundtrack</GenreText></Genre>
         <ReleaseDate>{{.DealStart}}</ReleaseDate>
         <ParentalWarningType>NotExplicit</ParentalWarningType>
         <ResourceGroup>
            <ResourceGroup ResourceGroupType="Component">
               <SequenceNumber>1</SequenceNumber>{{range .Tracks}}
               <ResourceGroupContentItem>
                  <SequenceNumber>{{.N}}</SequenceNumber>
                  <ReleaseResourceReference>A{{.N}}</ReleaseResourceReference>
               </ResourceGroupContentItem>{{end}}
            </ResourceGroup>
         </ResourceGroup>
      </Release>
   </ReleaseList>
   <DealList>
      <ReleaseDeal>
         <DealReleaseReference>R0</DealReleaseReference>
         <Deal>
            <DealTerms>
               <TerritoryCode>Worldwide</TerritoryCode>
               <ValidityPeriod><StartDate>{{.DealStart}}</StartDate></ValidityPeriod>
               <CommercialModelType>SubscriptionModel</CommercialModelType>
               <UseType>OnDemandStream</UseType>
            </DealTerms>
         </Deal>
      </ReleaseDeal>
   </DealList>
</ern:NewReleaseMessage>
`))

// WritePurge creates dir/<messageID>.xml, a PurgeReleaseMessage from
// sender withdrawing the release with ICPN upc.
func WritePurge(dir, sender, messageID, upc string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	msg := fmt.Sprintf(`<?xml version="1.0" encoding="UTF-8"?>
<ern:PurgeReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43" AvsVersionId="3">
   <MessageHeader>
      <MessageThreadId>%[2]s</MessageThreadId>
      <MessageId>%[2]s</MessageId>
      <MessageSender><PartyId>%[1]s</PartyId><PartyName><FullName>Open Music Test Label</FullName></PartyName></MessageSender>
      <MessageRecipient><PartyId>PADPIDA2026112702Y</PartyId><PartyName><FullName>Open Music Platform</FullName></PartyName></MessageRecipient>
      <MessageCreatedDateTime>%[4]s</MessageCreatedDateTime>
      <MessageControlType>LiveMessage</MessageControlType>
   </MessageHeader>
   <PurgedRelease>
      <ReleaseId><ICPN>%[3]s</ICPN></ReleaseId>
   </PurgedRelease>
</ern:PurgeReleaseMessage>
`, xmlText(sender), xmlText(messageID), xmlText(upc), time.Now().UTC().Format(time.RFC3339))
	return os.WriteFile(filepath.Join(dir, "purge.xml"), []byte(msg), 0o644)
}
