package dev.multiverse.conformance.check;

import java.util.List;
import java.util.Locale;

/** The checker's report: one row per vector (PASS or FAIL, tokens, worst log-prob difference), each failure's first difference below. */
public final class CheckTable {
    private CheckTable() {}

    public static String format(List<CaseResult> results, double tolerance) {
        int width = "case".length();
        for (CaseResult r : results) width = Math.max(width, r.name().length());
        var sb = new StringBuilder();
        String row = "%-" + width + "s  %-6s  %6s  %-12s%n";
        sb.append(String.format(Locale.ROOT, row, "case", "result", "tokens", "max |dlogp|"));
        for (CaseResult r : results) {
            String worst = Double.isNaN(r.worstLogprobDiff()) ? "-" : String.format(Locale.ROOT, "%.2e", r.worstLogprobDiff());
            sb.append(String.format(Locale.ROOT, row, r.name(), r.passed() ? "PASS" : "FAIL",
                    r.tokens() < 0 ? "-" : String.valueOf(r.tokens()), worst));
        }
        long failed = results.stream().filter(r -> !r.passed()).count();
        for (CaseResult r : results) if (!r.passed()) sb.append(r.name()).append(": ").append(r.firstDifference()).append('\n');
        sb.append(String.format(Locale.ROOT, "%d of %d passed (log-prob tolerance %.0e)%n", results.size() - failed,
                results.size(), tolerance));
        return sb.toString();
    }
}
