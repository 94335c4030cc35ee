package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/roadcheck/roadcheck/service"
)

// openAPIDocument is openapi.json with the parts that the rulebook and the error catalogue
// own filled in at serve time: one schema per item (the contract the service enforces, so the
// description cannot drift from it) and the error codes.
func openAPIDocument(ctx context.Context, svc service.Service) (json.RawMessage, error) {
	var doc map[string]any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		return nil, fmt.Errorf("openapi.json: %w", err)
	}
	cat, err := svc.Items(ctx)
	if err != nil {
		return nil, err
	}
	var items []struct {
		Code string `json:"code"`
	}
	if err := json.Unmarshal(cat.Items, &items); err != nil {
		return nil, fmt.Errorf("catalogue: %w", err)
	}
	schemas := doc["components"].(map[string]any)["schemas"].(map[string]any)
	var refs []any
	var content any
	mapping := map[string]any{}
	for _, it := range items {
		raw, err := svc.Schema(ctx, it.Code)
		if err != nil {
			return nil, err
		}
		var s map[string]any
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, err
		}
		// Inside an OpenAPI document the schema is a component: its own $id would move the base
		// of $refs, and the dialect is the document's (3.1 = JSON Schema 2020-12).
		delete(s, "$id")
		delete(s, "$schema")
		if c, ok := dig(s, "properties", "materials", "items", "properties"); ok && content == nil {
			content = c["content"]
		}
		name := "Application_" + it.Code
		schemas[name] = s
		ref := "#/components/schemas/" + name
		refs = append(refs, map[string]any{"$ref": ref})
		mapping[it.Code] = ref
	}
	// An upload's facts.content has the declared shape of a material's content (the same in
	// every item's schema).
	if up, ok := schemas["Upload"].(map[string]any); ok && content != nil {
		if facts, ok := dig(up, "properties", "facts", "properties"); ok {
			facts["content"] = content
		}
	}
	app := schemas["Application"].(map[string]any)
	app["oneOf"] = refs
	app["discriminator"] = map[string]any{"propertyName": "item", "mapping": mapping}

	var codes []string
	for _, e := range service.ErrorCatalogue() {
		codes = append(codes, e.Code)
	}
	sort.Strings(codes)
	errProps := schemas["Error"].(map[string]any)["properties"].(map[string]any)["error"].(map[string]any)["properties"].(map[string]any)
	errProps["code"].(map[string]any)["enum"] = codes
	return json.Marshal(doc)
}

// dig follows object keys down a decoded JSON document.
func dig(m map[string]any, keys ...string) (map[string]any, bool) {
	for _, k := range keys {
		next, ok := m[k].(map[string]any)
		if !ok {
			return nil, false
		}
		m = next
	}
	return m, true
}
