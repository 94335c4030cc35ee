package docgen

import (
	"bytes"
	_ "embed"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
	"math"
	"math/rand/v2"
	"slices"
)

// faceJPEG is pigo's test picture (MIT, see testdata/README.md): one frontal face on white,
// which pigo's cascade finds, so photos and portraits carry a detectable face.
//
//go:embed testdata/face.jpg
var faceJPEG []byte

// Kind names (policies/data/materials.json) and the two photo classes.
const (
	KindIDCard            = "id_card"
	KindDrivingMain       = "driving_licence_main"
	KindDrivingSecondary  = "driving_licence_secondary"
	KindQualificationInfo = "qualification_info_page"
	KindQualificationViol = "qualification_violation_page"
	KindStudyRecord       = "study_record"
	KindVehicleFront      = "vehicle_licence_front"
	KindVehicleBack       = "vehicle_licence_back"
	KindTransportCert     = "transport_cert"
	KindPhoto2Inch        = "photo_2inch"
	KindVehiclePhoto      = "vehicle_photo_45"
	KindLifePhoto         = "life_photo"
	KindOtherPhoto        = "other_photo"
)

// Kinds are all kinds Generate makes, in the order it makes them.
func Kinds() []string {
	return []string{KindIDCard, KindDrivingMain, KindDrivingSecondary, KindQualificationInfo,
		KindQualificationViol, KindStudyRecord, KindVehicleFront, KindVehicleBack, KindTransportCert,
		KindPhoto2Inch, KindVehiclePhoto, KindLifePhoto, KindOtherPhoto}
}

// Field names in Truth.Fields (the content facts' field names).
const (
	FieldIDNumber    = "id_number"
	FieldName        = "name"
	FieldPlate       = "plate"
	FieldCertificate = "certificate_number"
	FieldArchive     = "archive_number"
)

// Truth is what a sample shows.
type Truth struct {
	Kind   string            // material kind, or life_photo / other_photo
	Fields map[string]string // what is printed (only the fields the document shows)
	Faces  int               // faces in the picture (a portrait on a document counts)
}

// Sample is one generated upload.
type Sample struct {
	Name    string // stable: index, kind, variant and whole-image turn, e.g. "0007-driving_licence_main-rot90"
	Person  Person
	Truth   Truth
	Variant string   // e.g. "front", "back", "with_secondary"; "" when the kind has one form
	Degrade []string // what was applied, in order, e.g. "blur1.2", "glare", "background", "rotate3.5", "perspective", "light", "rot90", "jpeg72"
	Image   []byte   // JPEG
	Width   int
	Height  int
}

// Options choose the set.
type Options struct {
	Seed    uint64
	PerKind int      // samples per kind (default 1)
	Kinds   []string // default: Kinds()
	Clean   bool     // no degradation: the flat document as a JPEG (quality 95)
	Person  *Person  // every sample shows this person (default: a new one for each sample)
}

// gen is the state of one Generate call.
type gen struct {
	r    *rand.Rand
	fs   *fontSet
	st   *sinTable
	face *image.RGBA
}

func newGen(seed, index uint64, fs *fontSet, face *image.RGBA) *gen {
	return &gen{r: rand.New(rand.NewPCG(seed, index^0x9e3779b97f4a7c15)), fs: fs, st: newSinTable(), face: face}
}

// Generate makes PerKind samples of each kind. The same Options give the same bytes: every
// random choice comes from one PCG stream per sample, seeded from Seed and the sample index.
func Generate(opt Options) ([]Sample, error) {
	return generate(opt, systemFonts)
}

func generate(opt Options, system []sysFont) ([]Sample, error) {
	kinds := opt.Kinds
	if len(kinds) == 0 {
		kinds = Kinds()
	}
	for _, k := range kinds {
		if !slices.Contains(Kinds(), k) {
			return nil, fmt.Errorf("docgen: unknown kind %q", k)
		}
	}
	n := opt.PerKind
	if n <= 0 {
		n = 1
	}
	fs, err := loadFonts(system)
	if err != nil {
		return nil, err
	}
	fm, err := jpeg.Decode(bytes.NewReader(faceJPEG))
	if err != nil {
		return nil, fmt.Errorf("docgen: face picture: %w", err)
	}
	face := toRGBA(fm)
	var out []Sample
	idx := 0
	for i := 0; i < n; i++ {
		for _, k := range kinds {
			// one stream per sample, so a sample does not change when others are added
			g := newGen(opt.Seed, uint64(idx), fs, face)
			s, err := g.sample(idx, k, opt.Clean, opt.Person)
			if err != nil {
				return nil, err
			}
			out = append(out, s)
			idx++
		}
	}
	return out, nil
}

func (g *gen) sample(idx int, kind string, clean bool, who *Person) (Sample, error) {
	p := NewPerson(g.r) // drawn always, so the rest of the stream is the same either way
	if who != nil {
		p = *who
	}
	img, truth, variant, photo := g.render(kind, p, clean)
	if img == nil {
		return Sample{}, errors.New("docgen: nothing rendered for " + kind)
	}
	var deg []string
	quality := 95
	if !clean {
		img, deg, quality = g.degrade(img, photo)
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: quality}); err != nil {
		return Sample{}, err
	}
	name := fmt.Sprintf("%04d-%s", idx, kind)
	if variant != "" {
		name += "-" + variant
	}
	for _, d := range deg {
		if d == "rot90" || d == "rot180" || d == "rot270" {
			name += "-" + d
		}
	}
	if truth.Fields == nil {
		truth.Fields = map[string]string{}
	}
	truth.Kind = kind
	return Sample{Name: name, Person: p, Truth: truth, Variant: variant, Degrade: deg, Image: buf.Bytes(),
		Width: img.Rect.Dx(), Height: img.Rect.Dy()}, nil
}

// photoKind says how a picture is degraded: documents are photographed on a desk; photos
// are pictures already (noise, light, blur, recompression, rarely a photo of a print).
type photoKind int

const (
	isDocument photoKind = iota
	isPhoto
)

func (g *gen) render(kind string, p Person, clean bool) (*image.RGBA, Truth, string, photoKind) {
	switch kind {
	case KindIDCard:
		if g.r.IntN(2) == 0 {
			img, t := g.idFront(p, g.docWidth(clean))
			return img, t, "front", isDocument
		}
		img, t := g.idBack(p, g.docWidth(clean))
		return img, t, "back", isDocument
	case KindDrivingMain:
		img, t := g.drivingMain(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindDrivingSecondary:
		img, t := g.drivingSecondary(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindQualificationInfo:
		img, t := g.qualInfo(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindQualificationViol:
		img, t := g.qualViolation(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindStudyRecord:
		img, t := g.studyRecord(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindVehicleFront:
		if g.r.IntN(2) == 0 {
			img, t := g.vehicleFront(p, g.docWidth(clean)*1.5, true)
			return img, t, "with_secondary", isDocument
		}
		img, t := g.vehicleFront(p, g.docWidth(clean), false)
		return img, t, "", isDocument
	case KindVehicleBack:
		img, t := g.vehicleBack(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindTransportCert:
		img, t := g.transportCert(p, g.docWidth(clean))
		return img, t, "", isDocument
	case KindPhoto2Inch:
		img, t := g.photo2Inch()
		return img, t, "", isPhoto
	case KindVehiclePhoto:
		img, t := g.vehiclePhoto(p)
		return img, t, "", isPhoto
	case KindLifePhoto:
		img, t := g.lifePhoto()
		return img, t, "", isPhoto
	case KindOtherPhoto:
		img, t, v := g.otherPhoto()
		return img, t, v, isPhoto
	}
	return nil, Truth{}, "", isDocument
}

// docWidth is the pixel width a document is drawn at: about what a phone photo gives it.
func (g *gen) docWidth(clean bool) float64 {
	if clean {
		return 1000 + g.r.Float64()*500
	}
	// about the size the document takes in the photo (see onDesk), so the warp neither
	// wastes pixels nor magnifies much
	return 750 + 850*math.Pow(g.r.Float64(), 1.5)
}
