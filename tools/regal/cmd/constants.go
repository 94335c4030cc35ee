package cmd

const (
	// formatJSON is the JSON format value for the --format flag in various commands.
	formatJSON = "json"
	// formatPretty is the pretty format value for the --format flag in various commands.
	formatPretty = "pretty"
	// formatCompact is the compact format value for the --format flag in various commands.
	formatCompact = "compact"
	// formatGitHub is the GitHub format value for the --format flag in various commands.
	formatGitHub = "github"
	// formatFestive is the festive format value for the --format flag in various commands.
	formatFestive = "festive"
	// formatSarif is the SARIF format value for the --format flag in various commands.
	formatSarif = "sarif"
	// formatJunit is the JUnit format value for the --format flag in various commands.
	formatJunit = "junit"
)
