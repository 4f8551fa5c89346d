package ingest

import "encoding/xml"

// The types in this file mirror the parts of the DDEX ERN 4.3 schema that
// the platform reads. They are decoded with encoding/xml and then converted
// into the delivery model (delivery.go); nothing outside this package sees
// them. Elements are matched by local name: ERN puts only the root element
// in its namespace.

type ernNewRelease struct {
	XMLName   xml.Name         `xml:"NewReleaseMessage"`
	Profile   string           `xml:"ReleaseProfileVersionId,attr"`
	Header    ernHeader        `xml:"MessageHeader"`
	Parties   []ernParty       `xml:"PartyList>Party"`
	Resources ernResourceList  `xml:"ResourceList"`
	Releases  ernReleaseList   `xml:"ReleaseList"`
	Deals     []ernReleaseDeal `xml:"DealList>ReleaseDeal"`
}

type ernPurgeRelease struct {
	XMLName xml.Name        `xml:"PurgeReleaseMessage"`
	Header  ernHeader       `xml:"MessageHeader"`
	Purged  []ernPurgedItem `xml:"PurgedRelease"`
}

type ernPurgedItem struct {
	ReleaseID    ernReleaseID `xml:"ReleaseId"`
	TitleText    string       `xml:"DisplayTitleText"`
	Titles       []ernTitle   `xml:"DisplayTitle"`
	ArtistNames  []string     `xml:"DisplayArtistName"`
	LegacyTitles []ernTitle   `xml:"Title"` // ERN 3 spelling, seen in the wild
}

type ernHeader struct {
	ThreadID    string         `xml:"MessageThreadId"`
	MessageID   string         `xml:"MessageId"`
	Sender      ernHeaderPty   `xml:"MessageSender"`
	Recipients  []ernHeaderPty `xml:"MessageRecipient"`
	Created     string         `xml:"MessageCreatedDateTime"`
	ControlType string         `xml:"MessageControlType"`
}

type ernHeaderPty struct {
	PartyID  string `xml:"PartyId"`
	FullName string `xml:"PartyName>FullName"`
}

type ernParty struct {
	Reference string         `xml:"PartyReference"`
	Names     []ernPartyName `xml:"PartyName"`
	IDs       []ernPartyID   `xml:"PartyId"`
}

type ernPartyName struct {
	Language string `xml:"LanguageAndScriptCode,attr"`
	FullName string `xml:"FullName"`
}

type ernPartyID struct {
	DPID        string    `xml:"DPID"`
	ISNI        string    `xml:"ISNI"`
	Proprietary []ernProp `xml:"ProprietaryId"`
}

type ernProp struct {
	Namespace string `xml:"Namespace,attr"`
	Value     string `xml:",chardata"`
}

type ernResourceList struct {
	SoundRecordings []ernSoundRecording `xml:"SoundRecording"`
	Videos          []ernOtherResource  `xml:"Video"`
	Images          []ernOtherResource  `xml:"Image"`
	Texts           []ernOtherResource  `xml:"Text"`
	SheetMusic      []ernOtherResource  `xml:"SheetMusic"`
	Software        []ernOtherResource  `xml:"Software"`
}

type ernSoundRecording struct {
	Supplemental string             `xml:"IsSupplemental,attr"`
	Reference    string             `xml:"ResourceReference"`
	Type         string             `xml:"Type"`
	Editions     []ernEdition       `xml:"SoundRecordingEdition"`
	TitleText    string             `xml:"DisplayTitleText"`
	Titles       []ernTitle         `xml:"DisplayTitle"`
	ArtistNames  []ernArtistName    `xml:"DisplayArtistName"`
	Artists      []ernDisplayArtist `xml:"DisplayArtist"`
	Duration     string             `xml:"Duration"`
	Parental     []string           `xml:"ParentalWarningType"`
	Genres       []ernGenre         `xml:"Genre"`
}

// ernEdition is a SoundRecordingEdition or VideoEdition: identifiers,
// P-line and the technical details that point at the files.
type ernEdition struct {
	ISRC      string         `xml:"ResourceId>ISRC"`
	PLines    []ernPLine     `xml:"PLine"`
	Technical []ernTechnical `xml:"TechnicalDetails"`
}

type ernPLine struct {
	Year string `xml:"Year"`
	Text string `xml:"PLineText"`
}

type ernTechnical struct {
	Reference     string            `xml:"TechnicalResourceDetailsReference"`
	DeliveryFiles []ernDeliveryFile `xml:"DeliveryFile"`
	Files         []ernFile         `xml:"File"` // Image and Text put File here
	Clips         []ernClip         `xml:"ClipDetails"`
}

type ernDeliveryFile struct {
	Type       string    `xml:"Type"`
	AudioCodec string    `xml:"AudioCodecType"`
	Files      []ernFile `xml:"File"`
}

type ernFile struct {
	URI      string    `xml:"URI"`
	HashSums []ernHash `xml:"HashSum"`
}

type ernHash struct {
	Algorithm string `xml:"Algorithm"`
	Value     string `xml:"HashSumValue"`
}

type ernClip struct {
	Type       string `xml:"ClipType"`
	StartPoint string `xml:"Timing>StartPoint"`
	Duration   string `xml:"Timing>DurationUsed"`
}

type ernTitle struct {
	Territory string `xml:"ApplicableTerritoryCode,attr"`
	Language  string `xml:"LanguageAndScriptCode,attr"`
	IsDefault bool   `xml:"IsDefault,attr"`
	Text      string `xml:"TitleText"`
	SubTitle  string `xml:"SubTitle"`
}

type ernArtistName struct {
	Language  string `xml:"LanguageAndScriptCode,attr"`
	IsDefault bool   `xml:"IsDefault,attr"`
	Name      string `xml:",chardata"`
}

type ernDisplayArtist struct {
	Sequence string   `xml:"SequenceNumber,attr"`
	PartyRef string   `xml:"ArtistPartyReference"`
	Roles    []string `xml:"DisplayArtistRole"`
}

type ernGenre struct {
	Text     string `xml:"GenreText"`
	SubGenre string `xml:"SubGenre"`
}

// ernOtherResource covers Video, Image, Text and the rest: the platform
// only needs their references, types, identifiers and files.
type ernOtherResource struct {
	Reference string         `xml:"ResourceReference"`
	Type      string         `xml:"Type"`
	Editions  []ernEdition   `xml:"VideoEdition"`
	Technical []ernTechnical `xml:"TechnicalDetails"`
}

type ernReleaseList struct {
	Releases      []ernRelease      `xml:"Release"`
	TrackReleases []ernTrackRelease `xml:"TrackRelease"`
}

type ernRelease struct {
	Reference   string             `xml:"ReleaseReference"`
	Types       []string           `xml:"ReleaseType"`
	ID          ernReleaseID       `xml:"ReleaseId"`
	TitleText   string             `xml:"DisplayTitleText"`
	Titles      []ernTitle         `xml:"DisplayTitle"`
	ArtistNames []ernArtistName    `xml:"DisplayArtistName"`
	Artists     []ernDisplayArtist `xml:"DisplayArtist"`
	Labels      []ernLabelRef      `xml:"ReleaseLabelReference"`
	PLines      []ernPLine         `xml:"PLine"`
	Duration    string             `xml:"Duration"`
	Genres      []ernGenre         `xml:"Genre"`
	ReleaseDate []string           `xml:"ReleaseDate"`
	Original    []string           `xml:"OriginalReleaseDate"`
	Parental    []string           `xml:"ParentalWarningType"`
	Groups      []ernResourceGroup `xml:"ResourceGroup"`
}

type ernReleaseID struct {
	GRid        string    `xml:"GRid"`
	ICPN        string    `xml:"ICPN"`
	ISRC        string    `xml:"ISRC"`
	CatalogNo   string    `xml:"CatalogNumber"`
	Proprietary []ernProp `xml:"ProprietaryId"`
}

type ernLabelRef struct {
	IsDefault bool   `xml:"IsDefault,attr"`
	Ref       string `xml:",chardata"`
}

type ernResourceGroup struct {
	Type     string             `xml:"ResourceGroupType,attr"`
	Sequence string             `xml:"SequenceNumber"`
	Titles   []ernTitle         `xml:"AdditionalTitle"`
	Groups   []ernResourceGroup `xml:"ResourceGroup"`
	Items    []ernGroupItem     `xml:"ResourceGroupContentItem"`
}

type ernGroupItem struct {
	Sequence string `xml:"SequenceNumber"`
	Ref      string `xml:"ReleaseResourceReference"`
}

type ernTrackRelease struct {
	Reference   string        `xml:"ReleaseReference"`
	ID          ernReleaseID  `xml:"ReleaseId"`
	ResourceRef string        `xml:"ReleaseResourceReference"`
	Labels      []ernLabelRef `xml:"ReleaseLabelReference"`
	Genres      []ernGenre    `xml:"Genre"`
}

type ernReleaseDeal struct {
	ReleaseRefs []string  `xml:"DealReleaseReference"`
	Deals       []ernDeal `xml:"Deal"`
}

type ernDeal struct {
	Reference string       `xml:"DealReference"`
	Terms     ernDealTerms `xml:"DealTerms"`
}

type ernDealTerms struct {
	Territories []string      `xml:"TerritoryCode"`
	Excluded    []string      `xml:"ExcludedTerritoryCode"`
	Validity    []ernValidity `xml:"ValidityPeriod"`
	Commercial  []string      `xml:"CommercialModelType"`
	UseTypes    []string      `xml:"UseType"`
	TakeDown    string        `xml:"TakeDown"`
}

type ernValidity struct {
	StartDate     string `xml:"StartDate"`
	StartDateTime string `xml:"StartDateTime"`
	EndDate       string `xml:"EndDate"`
	EndDateTime   string `xml:"EndDateTime"`
}
