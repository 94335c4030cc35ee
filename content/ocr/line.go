// Package ocr placeholder: only the Line type, so package content compiles until the real engine
// (branch ocr) is merged. The lead drops this file when merging.
package ocr

import "image"

// Line is one recognised text line: its text, the recogniser's score (0..1) and its box corners.
type Line struct {
	Text  string
	Score float64
	Box   [4]image.Point
}
