#!/usr/bin/env bash
# Regenerates the delivery fixtures under testdata/good and testdata/bad:
# tiny synthetic audio made with sox (8 kHz mono sines), a 16x16 cover made
# with ffmpeg, and a two-track ERN 4.3 NewReleaseMessage modelled on the
# official 4_SimpleAudioSingle.xml sample, with real hashes filled in.
# Run from ingest/: testdata/make-fixtures.sh
set -euo pipefail
cd "$(dirname "$0")"
rm -rf good bad
mkdir -p good/resources bad

UPC=195999000015          # valid GTIN-12 check digit
ISRC1=QZES72600001
ISRC2=QZES72600002

sox -R -D -n -r 8000 -c 1 -b 16 good/resources/${UPC}_01_01.flac synth 3 sine 440 fade 0.1 3 0.1
sox -R -D -n -r 8000 -c 1 -b 16 good/resources/${UPC}_01_02.wav synth 3 sine 330 fade 0.1 3 0.1
ffmpeg -nostdin -v error -f lavfi -i color=c=navy:s=16x16 -frames:v 1 good/resources/${UPC}.jpg

hash() { # hash ALG FILE
	case $1 in
	MD5) md5sum "$2" | cut -d' ' -f1 ;;
	SHA1) sha1sum "$2" | cut -d' ' -f1 ;;
	SHA256) sha256sum "$2" | cut -d' ' -f1 ;;
	esac
}

# message DIR: writes DIR/$UPC.xml from the variables below.
message() {
	cat >"$1/${UPC}.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>${PROLOG:-}
<ern:NewReleaseMessage xmlns:ern="http://ddex.net/xml/ern/43"
   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
   xsi:schemaLocation="http://ddex.net/xml/ern/43 http://ddex.net/xml/ern/43/release-notification.xsd"
   ReleaseProfileVersionId="Audio" LanguageAndScriptCode="en" AvsVersionId="3">
   <MessageHeader>
      <MessageThreadId>OMTEST-${UPC}</MessageThreadId>
      <MessageId>OMTEST-${UPC}-1</MessageId>
      <MessageSender>
         <PartyId>PADPIDA2026112701X</PartyId>
         <PartyName><FullName>Open Music Test Label</FullName></PartyName>
      </MessageSender>
      <MessageRecipient>
         <PartyId>PADPIDA2026112702Y</PartyId>
         <PartyName><FullName>Open Music Platform</FullName></PartyName>
      </MessageRecipient>
      <MessageCreatedDateTime>2026-11-27T06:00:00+00:00</MessageCreatedDateTime>
      <MessageControlType>TestMessage</MessageControlType>
   </MessageHeader>
   <PartyList>
      <Party>
         <PartyReference>PSines</PartyReference>
         <PartyName><FullName>${ARTIST:-The Sine Waves}</FullName></PartyName>
      </Party>
      <Party>
         <PartyReference>PGuest</PartyReference>
         <PartyName><FullName>Square Guest</FullName></PartyName>
      </Party>
      <Party>
         <PartyReference>PLabel</PartyReference>
         <PartyName><FullName>Open Music Test Label</FullName></PartyName>
      </Party>
   </PartyList>
   <ResourceList>
      <SoundRecording>
         <ResourceReference>A1</ResourceReference>
         <Type>MusicalWorkSoundRecording</Type>
         <SoundRecordingEdition>
            <ResourceId><ISRC>${ISRC1}</ISRC></ResourceId>
            <PLine><Year>2026</Year><PLineText>(P) 2026 Open Music Test Label</PLineText></PLine>
            <TechnicalDetails>
               <TechnicalResourceDetailsReference>T1</TechnicalResourceDetailsReference>
               <DeliveryFile>
                  <Type>AudioFile</Type>
                  <AudioCodecType>FLAC</AudioCodecType>
                  <File>
                     <URI>${URI1}</URI>
                     <HashSum><Algorithm>${ALG1}</Algorithm><HashSumValue>${HASH1}</HashSumValue></HashSum>
                  </File>
               </DeliveryFile>
               <ClipDetails>
                  <TechnicalResourceDetailsReference>T1C</TechnicalResourceDetailsReference>
                  <ClipType>Preview</ClipType>
                  <Timing><StartPoint>0.5</StartPoint><DurationUsed>PT2S</DurationUsed></Timing>
                  <ExpressionType>Informative</ExpressionType>
               </ClipDetails>
            </TechnicalDetails>
         </SoundRecordingEdition>
         <DisplayTitleText>${TITLE1:-First Sine}</DisplayTitleText>
         <DisplayTitle ApplicableTerritoryCode="Worldwide" IsDefault="true"><TitleText>${TITLE1:-First Sine}</TitleText></DisplayTitle>
         <DisplayArtistName ApplicableTerritoryCode="Worldwide" IsDefault="true">The Sine Waves</DisplayArtistName>
         <DisplayArtist SequenceNumber="1">
            <ArtistPartyReference>PSines</ArtistPartyReference>
            <DisplayArtistRole>MainArtist</DisplayArtistRole>
         </DisplayArtist>
         <Duration>${DUR1}</Duration>
         <ParentalWarningType>NotExplicit</ParentalWarningType>
         <Genre ApplicableTerritoryCode="Worldwide"><GenreText>Electronic</GenreText></Genre>
      </SoundRecording>
      <SoundRecording>
         <ResourceReference>A2</ResourceReference>
         <Type>MusicalWorkSoundRecording</Type>
         <SoundRecordingEdition>
            <ResourceId><ISRC>${ISRC2}</ISRC></ResourceId>
            <PLine><Year>2026</Year><PLineText>(P) 2026 Open Music Test Label</PLineText></PLine>
            <TechnicalDetails>
               <TechnicalResourceDetailsReference>T2</TechnicalResourceDetailsReference>
               <DeliveryFile>
                  <Type>AudioFile</Type>
                  <AudioCodecType>WAV</AudioCodecType>
                  <File>
                     <URI>${URI2}</URI>
                     <HashSum><Algorithm>${ALG2}</Algorithm><HashSumValue>${HASH2}</HashSumValue></HashSum>
                  </File>
               </DeliveryFile>
               <ClipDetails>
                  <TechnicalResourceDetailsReference>T2C</TechnicalResourceDetailsReference>
                  <ClipType>Preview</ClipType>
                  <Timing><StartPoint>1.0</StartPoint></Timing>
                  <ExpressionType>Informative</ExpressionType>
               </ClipDetails>
            </TechnicalDetails>
         </SoundRecordingEdition>
         <DisplayTitleText>Second Sine (feat. Square Guest)</DisplayTitleText>
         <DisplayTitle ApplicableTerritoryCode="Worldwide" IsDefault="true"><TitleText>Second Sine</TitleText><SubTitle>feat. Square Guest</SubTitle></DisplayTitle>
         <DisplayArtistName ApplicableTerritoryCode="Worldwide" IsDefault="true">The Sine Waves feat. Square Guest</DisplayArtistName>
         <DisplayArtist SequenceNumber="2">
            <ArtistPartyReference>PGuest</ArtistPartyReference>
            <DisplayArtistRole>FeaturedArtist</DisplayArtistRole>
         </DisplayArtist>
         <DisplayArtist SequenceNumber="1">
            <ArtistPartyReference>PSines</ArtistPartyReference>
            <DisplayArtistRole>MainArtist</DisplayArtistRole>
         </DisplayArtist>
         <Duration>${DUR2}</Duration>
         <ParentalWarningType>Explicit</ParentalWarningType>
         <Genre ApplicableTerritoryCode="Worldwide"><GenreText>Electronic</GenreText><SubGenre>Ambient</SubGenre></Genre>
      </SoundRecording>
      <Image>
         <ResourceReference>A3</ResourceReference>
         <Type>FrontCoverImage</Type>
         <TechnicalDetails>
            <TechnicalResourceDetailsReference>T3</TechnicalResourceDetailsReference>
            <File>
               <URI>resources/${UPC}.jpg</URI>
               <HashSum><Algorithm>SHA1</Algorithm><HashSumValue>${HASH3}</HashSumValue></HashSum>
            </File>
         </TechnicalDetails>
      </Image>
   </ResourceList>
   <ReleaseList>
      <Release>
         <ReleaseReference>R0</ReleaseReference>
         <ReleaseType>EP</ReleaseType>
         <ReleaseId><ICPN>${UPC}</ICPN></ReleaseId>
         <DisplayTitleText>Two Sines</DisplayTitleText>
         <DisplayTitle ApplicableTerritoryCode="Worldwide" IsDefault="true"><TitleText>Two Sines</TitleText></DisplayTitle>
         <DisplayArtistName ApplicableTerritoryCode="Worldwide" IsDefault="true">The Sine Waves</DisplayArtistName>
         <DisplayArtist SequenceNumber="1">
            <ArtistPartyReference>PSines</ArtistPartyReference>
            <DisplayArtistRole>MainArtist</DisplayArtistRole>
         </DisplayArtist>
         <ReleaseLabelReference ApplicableTerritoryCode="Worldwide">PLabel</ReleaseLabelReference>
         <PLine><Year>2026</Year><PLineText>(P) 2026 Open Music Test Label</PLineText></PLine>
         <Genre ApplicableTerritoryCode="Worldwide"><GenreText>Electronic</GenreText></Genre>
         <ReleaseDate>2026-12-01</ReleaseDate>
         <ParentalWarningType>Explicit</ParentalWarningType>
         <ResourceGroup>
            <ResourceGroup ResourceGroupType="Component">
               <SequenceNumber>1</SequenceNumber>
               <ResourceGroupContentItem>
                  <SequenceNumber>1</SequenceNumber>
                  <ReleaseResourceReference>A1</ReleaseResourceReference>
               </ResourceGroupContentItem>
            </ResourceGroup>
            <ResourceGroup ResourceGroupType="Component">
               <SequenceNumber>2</SequenceNumber>
               <ResourceGroupContentItem>
                  <SequenceNumber>1</SequenceNumber>
                  <ReleaseResourceReference>A2</ReleaseResourceReference>
               </ResourceGroupContentItem>
            </ResourceGroup>
            <LinkedReleaseResourceReference>A3</LinkedReleaseResourceReference>
         </ResourceGroup>
      </Release>
   </ReleaseList>
   <DealList>
      <ReleaseDeal>
         <DealReleaseReference>R0</DealReleaseReference>
         <Deal>
            <DealTerms>
               <TerritoryCode>Worldwide</TerritoryCode>
               <ExcludedTerritoryCode>KP</ExcludedTerritoryCode>
               <ValidityPeriod><StartDate>2026-12-01</StartDate></ValidityPeriod>
               <CommercialModelType>SubscriptionModel</CommercialModelType>
               <CommercialModelType>AdvertisementSupportedModel</CommercialModelType>
               <UseType>OnDemandStream</UseType>
               <UseType>NonInteractiveStream</UseType>
            </DealTerms>
         </Deal>
         <Deal>
            <DealTerms>
               <TerritoryCode>DE</TerritoryCode>
               <ValidityPeriod><StartDate>2026-12-01</StartDate><EndDate>2027-11-30</EndDate></ValidityPeriod>
               <CommercialModelType>PayAsYouGoModel</CommercialModelType>
               <UseType>PermanentDownload</UseType>
            </DealTerms>
         </Deal>
      </ReleaseDeal>
   </DealList>
</ern:NewReleaseMessage>
XML
}

# good: everything right. Track 1 uses MD5, track 2 SHA-256, the cover SHA-1.
G=good/resources
URI1=resources/${UPC}_01_01.flac URI2=${UPC}_01_02.wav # a bare name is looked up in resources/
ALG1=MD5 HASH1=$(hash MD5 $G/${UPC}_01_01.flac)
ALG2=SHA256 HASH2=$(hash SHA256 $G/${UPC}_01_02.wav)
HASH3=$(hash SHA1 $G/${UPC}.jpg)
DUR1=PT3S DUR2=PT0M3.000S
message good

# bad/NAME: a copy of good with one thing changed.
bad() { rm -rf "bad/$1"; cp -r good "bad/$1"; }

( bad missing-file; rm "bad/missing-file/resources/${UPC}_01_02.wav"; message bad/missing-file )
( bad hash-mismatch; HASH1=0123456789abcdef0123456789abcdef; message bad/hash-mismatch )
( bad bad-isrc; ISRC1=QZ-ES7-26-0001 ISRC2=1ZES72600002; message bad/bad-isrc )
( bad bad-upc; UPC_OK=$UPC; UPC=195999000016
  rm -f bad/bad-upc/*.xml
  mv bad/bad-upc/resources/${UPC_OK}.jpg bad/bad-upc/resources/${UPC}.jpg
  message bad/bad-upc )
( bad truncated-flac
  f=bad/truncated-flac/resources/${UPC}_01_01.flac
  sox -R -D -n -r 8000 -c 1 -b 16 "$f" synth 6 sine 440 fade 0.1 6 0.1
  head -c $(( $(stat -c %s "$f") / 3 )) "$f" >"$f.part" && mv "$f.part" "$f"
  HASH1=$(hash MD5 "$f") DUR1=PT6S; message bad/truncated-flac )
( bad dotdot-uri; URI1=../${UPC}_01_01.flac; message bad/dotdot-uri )
( bad external-entity
  PROLOG=$'\n<!DOCTYPE ern:NewReleaseMessage [ <!ENTITY secret SYSTEM "file:///etc/passwd"> ]>'
  ARTIST='&secret;'; message bad/external-entity )
du -sh good bad/*
