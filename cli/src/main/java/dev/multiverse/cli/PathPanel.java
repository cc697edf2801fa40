package dev.multiverse.cli;

import dev.multiverse.tokenizer.Tokenizer;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The terminal view of {@code generate}: the root's text streams as usual; while a block runs, a
 * panel under it shows one column per path (its Outline id on top, its last lines below), redrawn
 * in place with ANSI escapes as the paths grow; when the block joins, the panel is replaced by the
 * merged text. Map, Process and Reduce happen in front of the reader.
 */
final class PathPanel extends PathTexts {
    static final int LINES = 10;
    private static final long REDRAW_NANOS = 50_000_000;
    private final PrintWriter out;
    private final int width;
    private int drawnLines;
    private long lastDraw;

    PathPanel(Tokenizer tokenizer, PrintWriter out, int width) {
        super(tokenizer, text -> {
            out.print(text);
            out.flush();
        });
        this.out = out;
        this.width = Math.max(40, width);
    }

    @Override
    protected void changed() {
        long now = System.nanoTime();
        if (texts.isEmpty() || now - lastDraw < REDRAW_NANOS) return;
        lastDraw = now;
        erase();
        List<String> rows = render(texts, width);
        for (String row : rows) out.println(row);
        drawnLines = rows.size();
        out.flush();
    }

    @Override
    protected void joined(String parentKey) {
        if (parentKey.isEmpty()) erase();
        lastDraw = 0;
    }

    private void erase() {
        if (drawnLines == 0) return;
        out.print("\033[" + drawnLines + "F\033[J");
        drawnLines = 0;
    }

    /** The panel's rows: a header of path ids, then {@link #LINES} rows of each path's last lines. */
    List<String> render(Map<String, StringBuilder> paths, int totalWidth) {
        List<String> keys = new ArrayList<>(paths.keySet());
        int columns = Math.max(1, Math.min(keys.size(), totalWidth / 20));
        int colWidth = totalWidth / columns - 1;
        List<List<String>> cells = new ArrayList<>();
        for (int c = 0; c < columns; c++) cells.add(tail(wrap(paths.get(keys.get(c)).toString(), colWidth), LINES));
        List<String> rows = new ArrayList<>();
        var header = new StringBuilder();
        for (int c = 0; c < columns; c++) {
            String title = "[" + outlineId(keys.get(c)) + "]";
            header.append("\033[1m").append(pad(title, colWidth)).append("\033[0m ");
        }
        if (keys.size() > columns) header.append("+").append(keys.size() - columns).append(" more");
        rows.add(header.toString());
        for (int r = 0; r < LINES; r++) {
            var row = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                List<String> cell = cells.get(c);
                row.append(pad(r < cell.size() ? cell.get(r) : "", colWidth)).append('|');
            }
            rows.add(row.toString());
        }
        return rows;
    }

    private static List<String> wrap(String text, int w) {
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            String clean = line.replaceAll("\\p{Cntrl}", " ");
            if (clean.isEmpty()) lines.add("");
            for (int i = 0; i < clean.length(); i += w) lines.add(clean.substring(i, Math.min(clean.length(), i + w)));
        }
        return lines;
    }

    private static List<String> tail(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s.substring(0, w) : s + " ".repeat(w - s.length());
    }
}
