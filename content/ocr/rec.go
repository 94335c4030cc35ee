package ocr

import (
	"fmt"
	"os"
	"strings"
)

// loadDict reads the recognition dictionary: one character per line, class i+1 is line i
// (class 0 is the CTC blank), and PaddleOCR's use_space_char appends a space as the last class.
func loadDict(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	lines := strings.Split(string(b), "\n")
	if len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	if len(lines) == 0 {
		return nil, fmt.Errorf("%s: empty dictionary", path)
	}
	return append(lines, " "), nil
}

// ctcDecode is greedy CTC decoding of one sequence: probs holds t×classes scores (the model
// ends in a softmax); per step the best class is taken, repeats collapse, the blank (0)
// drops. The score is the mean of the kept characters' probabilities (0 when none).
func ctcDecode(probs []float32, steps, classes int, dict []string) (string, float64) {
	var sb strings.Builder
	var sum float64
	var n int
	prev := -1
	for t := range steps {
		row := probs[t*classes : (t+1)*classes]
		best, bp := 0, row[0]
		for c, p := range row {
			if p > bp {
				best, bp = c, p
			}
		}
		if best != 0 && best != prev && best-1 < len(dict) {
			sb.WriteString(dict[best-1])
			sum += float64(bp)
			n++
		}
		prev = best
	}
	if n == 0 {
		return "", 0
	}
	return sb.String(), sum / float64(n)
}
