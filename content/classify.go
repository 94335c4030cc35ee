package content

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
)

//go:embed kinds.json
var kindsJSON []byte

// kindTable is kinds.json parsed: the signatures of the document kinds and the calibration of
// the kind confidence.
type kindTable struct {
	// MinScore: a best score under this means "no document found" (rotation retry, photo rules).
	MinScore float64 `json:"min_score"`
	// Confident: a decision at or over this confidence ends the rotation retries.
	Confident float64 `json:"confident"`
	// ScoreScale and MarginScale calibrate the confidence (see confidence).
	ScoreScale  float64         `json:"score_scale"`
	MarginScale float64         `json:"margin_scale"`
	Kinds       []kindSignature `json:"kinds"`
	// Fields are read on every image, whatever its kind; PictureFields on a picture where no
	// document signature reached min_score (the kind is then decided by Pictures).
	Fields        map[string]*fieldSpec `json:"fields"`
	PictureFields map[string]*fieldSpec `json:"picture_fields"`
	// Pictures name the kinds the picture rules decide, by the rule that decides each:
	// "face" (the ID photo: one plain face, large enough) and "plate" (the vehicle photo: no
	// face, a well-formed plate).
	Pictures []pictureKind `json:"pictures"`

	documents map[string]*kindSignature
	byRule    map[string]string // picture rule → kind
}

type kindSignature struct {
	Kind string `json:"kind"`
	// Fields the document carries, besides the table's Fields.
	Fields  map[string]*fieldSpec `json:"fields"`
	Signals []signal              `json:"signals"`
}

// pictureKind is a kind the picture rules decide (kinds.json "pictures").
type pictureKind struct {
	Kind string `json:"kind"`
	By   string `json:"by"` // the deciding rule: face or plate
}

// Picture rules (kinds.json "by").
const (
	byFace  = "face"
	byPlate = "plate"
)

// fieldSpec says how a field is read: by a finder that searches the whole page (find), or as
// the value after one of labels, read by a value reader (value).
type fieldSpec struct {
	Find   string   `json:"find,omitempty"`   // id_number, plate
	Labels []string `json:"labels,omitempty"` // with value
	Value  string   `json:"value,omitempty"`  // name, certificate, transport_certificate, archive

	read func(lines []line, today time.Time) (Field, bool)
}

// valueReader is the reader of a label's value (kinds.json "value").
func valueReader(name string) func(string) (string, bool) {
	switch name {
	case "name":
		return nameValue
	case "certificate":
		return certValue
	case "transport_certificate":
		return transportValue
	case "archive":
		return archiveValue
	}
	return nil
}

// compile sets s.read from the spec; where names the field in errors.
func (s *fieldSpec) compile(where string) error {
	switch {
	case s.Find != "" && len(s.Labels) == 0 && s.Value == "":
		switch s.Find {
		case "id_number":
			s.read = findIDNumber
		case "plate":
			s.read = func(lines []line, _ time.Time) (Field, bool) { return findPlate(lines) }
		default:
			return fmt.Errorf("content: kinds.json: %s: unknown finder %q (want id_number or plate)", where, s.Find)
		}
	case s.Find == "" && len(s.Labels) > 0 && s.Value != "":
		accept := valueReader(s.Value)
		if accept == nil {
			return fmt.Errorf("content: kinds.json: %s: unknown value %q (want name, certificate, transport_certificate or archive)", where, s.Value)
		}
		for _, lb := range s.Labels {
			if normalize(lb) == "" {
				return fmt.Errorf("content: kinds.json: %s: an empty label", where)
			}
		}
		labels := make([]string, len(s.Labels))
		for i, lb := range s.Labels {
			labels[i] = normalize(lb)
		}
		s.read = func(lines []line, _ time.Time) (Field, bool) { return labelValue(lines, labels, accept) }
	default:
		return fmt.Errorf("content: kinds.json: %s: a field has either find, or labels and value", where)
	}
	return nil
}

func compileFields(where string, fields map[string]*fieldSpec) error {
	for name, s := range fields {
		if name == "" || s == nil {
			return fmt.Errorf("content: kinds.json: %s: an empty field", where)
		}
		if err := s.compile(where + "." + name); err != nil {
			return err
		}
	}
	return nil
}

// signal is one keyword (fuzzy) or pattern (regexp over the normalised text) with its weight;
// negative weights speak against the kind.
type signal struct {
	Text    string  `json:"text,omitempty"`
	Pattern string  `json:"pattern,omitempty"`
	Weight  float64 `json:"w"`
	// Exact: no OCR edits allowed (a keyword whose near misses are other words, 道路运输证 vs
	// 道路运输业). Negative signals are always exact: damaged evidence must not veto a kind.
	Exact bool `json:"exact,omitempty"`

	runes []rune
	re    *regexp.Regexp
}

func parseKinds(data []byte) (*kindTable, error) {
	var t kindTable
	if err := json.Unmarshal(data, &t); err != nil {
		return nil, fmt.Errorf("content: kinds.json: %w", err)
	}
	if len(t.Kinds) == 0 || t.ScoreScale <= 0 || t.MarginScale <= 0 || t.MinScore <= 0 {
		return nil, fmt.Errorf("content: kinds.json: kinds, min_score, score_scale and margin_scale are required")
	}
	if err := compileFields("fields", t.Fields); err != nil {
		return nil, err
	}
	if err := compileFields("picture_fields", t.PictureFields); err != nil {
		return nil, err
	}
	t.documents = make(map[string]*kindSignature, len(t.Kinds))
	for i := range t.Kinds {
		k := &t.Kinds[i]
		if k.Kind == "" || t.documents[k.Kind] != nil {
			return nil, fmt.Errorf("content: kinds.json: empty or repeated kind %q", k.Kind)
		}
		t.documents[k.Kind] = k
		if err := compileFields(k.Kind+".fields", k.Fields); err != nil {
			return nil, err
		}
		for name := range k.Fields {
			if _, ok := t.Fields[name]; ok {
				return nil, fmt.Errorf("content: kinds.json: %s.fields.%s is already read on every kind (fields)", k.Kind, name)
			}
		}
		for j := range k.Signals {
			s := &k.Signals[j]
			switch {
			case s.Text != "" && s.Pattern == "":
				s.runes = []rune(normalize(s.Text))
			case s.Pattern != "" && s.Text == "":
				re, err := regexp.Compile(s.Pattern)
				if err != nil {
					return nil, fmt.Errorf("content: kinds.json: %s: %w", k.Kind, err)
				}
				s.re = re
			default:
				return nil, fmt.Errorf("content: kinds.json: %s: a signal has exactly one of text, pattern", k.Kind)
			}
			if s.Weight == 0 {
				return nil, fmt.Errorf("content: kinds.json: %s: signal %q%q has no weight", k.Kind, s.Text, s.Pattern)
			}
		}
	}
	for name := range t.PictureFields {
		if _, ok := t.Fields[name]; ok {
			return nil, fmt.Errorf("content: kinds.json: picture_fields.%s is already read on every kind (fields)", name)
		}
	}
	t.byRule = map[string]string{}
	for _, p := range t.Pictures {
		switch {
		case p.By != byFace && p.By != byPlate:
			return nil, fmt.Errorf("content: kinds.json: pictures: %q is decided by unknown rule %q (want face or plate)", p.Kind, p.By)
		case p.Kind == "" || t.documents[p.Kind] != nil || p.Kind == KindUnknown || p.Kind == KindLifePhoto || p.Kind == KindOtherPhoto:
			return nil, fmt.Errorf("content: kinds.json: pictures: kind %q is empty, a document kind or one of unknown, life_photo, other_photo", p.Kind)
		case t.byRule[p.By] != "":
			return nil, fmt.Errorf("content: kinds.json: pictures: two kinds decided by %s (%s, %s)", p.By, t.byRule[p.By], p.Kind)
		}
		t.byRule[p.By] = p.Kind
	}
	for _, by := range []string{byFace, byPlate} {
		if t.byRule[by] == "" {
			return nil, fmt.Errorf("content: kinds.json: pictures: no kind is decided by %s", by)
		}
	}
	// The plate rule reads the plate of picture_fields.
	if p := t.PictureFields[FieldPlate]; p == nil || p.Find != "plate" {
		return nil, fmt.Errorf("content: kinds.json: picture_fields.%s must be read by the plate finder: the plate rule of pictures decides by it", FieldPlate)
	}
	return &t, nil
}

// kindScore is one kind's summed evidence.
type kindScore struct {
	Kind  string
	Score float64
}

// decision is the classifier's answer over one OCR reading.
type decision struct {
	Kind       string  // best kind, or "" when no document signature reached MinScore
	Confidence float64 // calibrated 0..1
	Best       float64 // best raw score
	Margin     float64 // best minus runner-up
	Scores     []kindScore
}

// classify scores every kind against the text of lines.
func (t *kindTable) classify(text string) decision {
	src := []rune(text)
	scores := make([]kindScore, 0, len(t.Kinds))
	for _, k := range t.Kinds {
		var sum float64
		for i := range k.Signals {
			sum += k.Signals[i].Weight * k.Signals[i].match(text, src)
		}
		scores = append(scores, kindScore{k.Kind, sum})
	}
	sort.SliceStable(scores, func(i, j int) bool { return scores[i].Score > scores[j].Score })
	d := decision{Scores: scores, Best: scores[0].Score}
	if len(scores) > 1 {
		d.Margin = scores[0].Score - math.Max(scores[1].Score, 0)
	} else {
		d.Margin = d.Best
	}
	if d.Best >= t.MinScore {
		d.Kind = scores[0].Kind
		d.Confidence = t.confidence(d.Best, d.Margin)
	}
	return d
}

// confidence maps the best score and its margin over the runner-up to 0..1: both must be large
// for a high value, so one strong keyword shared by two kinds (a title differing by one
// character) never gives a confident answer on its own.
func (t *kindTable) confidence(best, margin float64) float64 {
	if best <= 0 || margin <= 0 {
		return 0
	}
	c := (1 - math.Exp(-best/t.ScoreScale)) * (1 - math.Exp(-margin/t.MarginScale))
	return math.Round(c*1000) / 1000
}

// match returns how well the signal is present in text: 1 exact, less with OCR edits, 0 absent.
func (s *signal) match(text string, src []rune) float64 {
	if s.re != nil {
		if s.re.MatchString(text) {
			return 1
		}
		return 0
	}
	m := len(s.runes)
	d := fuzzyFind(s.runes, src)
	tol := tolerance(m)
	if s.Exact || s.Weight < 0 {
		tol = 0
	}
	if d > tol {
		return 0
	}
	sim := 1 - float64(d)/float64(m)
	return sim * sim
}

// tolerance is how many rune edits a keyword of m runes may carry and still count: none for
// short labels (two- and three-character labels are too easy to hit by chance), more for titles.
func tolerance(m int) int {
	switch {
	case m <= 3:
		return 0
	case m <= 6:
		return 1
	case m <= 10:
		return 2
	default:
		return 3
	}
}

// fuzzyFind is the smallest Levenshtein distance between pat and any substring of text
// (Sellers' approximate substring search over runes).
func fuzzyFind(pat, text []rune) int {
	m := len(pat)
	if m == 0 {
		return 0
	}
	prev := make([]int, m+1)
	cur := make([]int, m+1)
	for i := range prev {
		prev[i] = i
	}
	best := m
	for j := 0; j < len(text); j++ {
		cur[0] = 0
		for i := 1; i <= m; i++ {
			cost := 1
			if pat[i-1] == text[j] {
				cost = 0
			}
			v := prev[i-1] + cost
			if prev[i]+1 < v {
				v = prev[i] + 1
			}
			if cur[i-1]+1 < v {
				v = cur[i-1] + 1
			}
			cur[i] = v
		}
		if cur[m] < best {
			best = cur[m]
			if best == 0 {
				return 0
			}
		}
		prev, cur = cur, prev
	}
	return best
}

// normalize folds full-width ASCII to half-width, full-width brackets and colons likewise, and
// drops white space (cards print labels letter-spaced: 姓 名).
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case unicode.IsSpace(r) || r == '\u3000':
			continue
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		case r == '·' || r == '•' || r == '・':
			r = '·'
		}
		b.WriteRune(r)
	}
	return b.String()
}
