package service

import (
	"context"
	"time"

	"github.com/roadcheck/roadcheck/policies"
)

// PolicySource loads a candidate rulebook for a reload: compiled, prepared and with its own
// tests passed, or an error saying why not.
type PolicySource func(ctx context.Context) (Rulebook, error)

// PolicyStatus tells administrators which rulebook serves and what the last refused reload was.
type PolicyStatus struct {
	Revision   string    `json:"revision"`
	LoadedAt   time.Time `json:"loaded_at"`
	Source     string    `json:"source"`
	Reloadable bool      `json:"reloadable"`
	// Evaluation is the path decisions take: "compiled" (the rulebook's IR plan, the default)
	// or "interpreter" (OPA's top-down interpreter, serve --eval interpreter).
	Evaluation  policies.Evaluator `json:"evaluation"`
	LastRefused *RefusedReload     `json:"last_refused,omitempty"`
}

// RefusedReload is a candidate that did not compile or whose tests failed.
type RefusedReload struct {
	At       time.Time `json:"at"`
	Error    string    `json:"error"`
	Revision string    `json:"revision_kept"`
}

func (s *roadcheck) Policies(context.Context) PolicyStatus {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	return s.policyStatusLocked()
}

func (s *roadcheck) policyStatusLocked() PolicyStatus {
	book := s.rules.Load().Book
	return PolicyStatus{Revision: book.Revision(), LoadedAt: book.LoadedAt(), Source: s.policyName,
		Reloadable: s.policySource != nil, Evaluation: book.Evaluator(), LastRefused: s.lastRefused}
}

// ReloadPolicies swaps in a candidate rulebook only if it compiles and its tests pass; a
// refused candidate leaves the serving revision untouched. Requests in flight finish on the
// revision they started with.
func (s *roadcheck) ReloadPolicies(ctx context.Context) (PolicyStatus, error) {
	s.reloadMu.Lock()
	defer s.reloadMu.Unlock()
	if s.policySource == nil {
		return s.policyStatusLocked(), &Error{Kind: KindConflict, Code: CodePolicyRejected,
			MessageEN: "this service runs the built-in rulebook; start it with --policies DIR to reload",
			Message:   "服务使用内置规则库，需以 --policies DIR 启动才能重新加载"}
	}
	refuse := func(err error) (PolicyStatus, error) {
		s.lastRefused = &RefusedReload{At: s.now().UTC(), Error: err.Error(), Revision: s.rules.Load().Book.Revision()}
		return s.policyStatusLocked(), &Error{Code: CodePolicyRejected, Err: err,
			MessageEN: "candidate rulebook refused, the current revision keeps serving: " + err.Error(),
			Message:   "新规则库未通过编译或测试，已拒绝加载，继续使用当前版本"}
	}
	book, err := s.policySource(ctx)
	if err != nil {
		return refuse(err)
	}
	rules, err := NewRules(book)
	if err != nil {
		return refuse(err)
	}
	s.rules.Store(rules)
	return s.policyStatusLocked(), nil
}
