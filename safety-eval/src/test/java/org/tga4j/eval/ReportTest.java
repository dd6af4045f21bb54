package org.tga4j.eval;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tga4j.eval.bench.Decoding;
import org.tga4j.eval.metrics.GroupMetrics;
import org.tga4j.eval.metrics.Rate;
import org.tga4j.eval.probe.ProbeResult;
import org.tga4j.eval.report.*;

class ReportTest {
    @TempDir Path tmp;

    static Report sample(String label, double dsr) {
        Map<String, Rate> cats = new LinkedHashMap<>();
        cats.put("knife", new Rate(3, 4, 0.75, 0.25, 1.0));
        GroupMetrics g = new GroupMetrics("hod", "plain", new Rate(3, 4, dsr, 0.25, 1.0), cats, null, Map.of(), null, null,
                Double.NaN);
        ReproManifest m = new ReproManifest("v", "t", "cmd", "/m", "abc", "llava_v1", "float32", List.of(), List.of("q"), Map.of(),
                Decoding.greedy(8), List.of("plain"), null, List.of("Sorry"), List.of(5), 100, 1, null, null, null);
        ProbeResult p = new ProbeResult(4, List.of("Sorry"), List.of(5), List.of(), List.of(2), List.of(3),
                new int[] {2, 3}, new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {1, 2, 3, 4}, new double[] {1, 1, 1, 1},
                new double[] {0, 0, 0.9, 0.9}, null, Map.of(), Map.of());
        return new Report(label, m, List.of(new JudgeResult("gcg", "gcg-2023.07/substring", "src", List.of(g))), p);
    }

    @Test
    void jsonRoundTripsAndHtmlShowsNumbersBandAndNoExternalResources() throws Exception {
        Report r = sample("base<line>", 0.75);
        r.write(tmp);
        Report back = Report.read(tmp.resolve("report.json"));
        assertEquals(r.results().get(0).groups().get(0).dsr(), back.results().get(0).groups().get(0).dsr());
        assertEquals(r.results().get(0).judgeVersion(), back.results().get(0).judgeVersion());
        assertArrayEquals(new int[] {2, 3}, back.probe().band());
        assertTrue(Double.isNaN(back.results().get(0).groups().get(0).meanKeywordRecall()), "NaN survives as \"NaN\"");
        String html = Files.readString(tmp.resolve("report.html"));
        assertTrue(html.contains("75.0% <span class='muted'>[25.0, 100.0] (3/4)"), "rate with CI and counts");
        assertTrue(html.contains("safety band 2..3"), "band shaded and labelled");
        assertTrue(html.contains("--align-layers 2..3"));
        assertTrue(html.contains("base&lt;line&gt;") && !html.contains("base<line>"), "labels are escaped");
        assertFalse(html.contains("<script") || html.contains("src="), "self-contained");
        assertTrue(html.contains("<title>gcg knife: 0.750 [0.250, 1.000]</title>") || html.contains("knife: 0.750"));
    }

    @Test
    void compareShowsEveryReportSideBySide() {
        String html = CompareHtml.render(List.of(sample("baseline", 0.25), sample("tga", 0.75)));
        assertTrue(html.contains("baseline") && html.contains("tga"));
        assertTrue(html.contains("25.0%") && html.contains("75.0%"));
        assertEquals(4, html.split("<polyline").length - 1, "per report: a cosine curve and a refusal-probability curve");
    }

    @Test
    void bandFileIsWhatTheTrainerReads() throws Exception {
        Path f = tmp.resolve("band.json");
        Band.write(f, sample("x", 1).probe(), "/m", "abc");
        var n = Report.JSON.readTree(f.toFile());
        assertEquals("[2,3]", n.path("layers").toString());
        assertEquals("2..3", n.path("align_layers").asText());
        ProbeResult none = new ProbeResult(4, List.of("Sorry"), List.of(5), List.of(), List.of(), List.of(), null, null,
                null, new double[4], new double[4], null, Map.of(), Map.of());
        assertThrows(IllegalStateException.class, () -> Band.write(tmp.resolve("b2.json"), none, "/m", "abc"));
        assertFalse(Files.exists(tmp.resolve("b2.json")));
    }

    @Test
    void modelHashCoversEveryWeightFile() throws Exception {
        Path d = tmp.resolve("m");
        Files.createDirectories(d);
        Files.writeString(d.resolve("model-00001-of-00002.safetensors"), "a");
        Files.writeString(d.resolve("model-00002-of-00002.safetensors"), "b");
        Files.writeString(d.resolve("config.json"), "{}");
        String h1 = Hashing.modelWeights(d);
        Files.writeString(d.resolve("config.json"), "{\"x\":1}");
        assertEquals(h1, Hashing.modelWeights(d), "only weights count");
        Files.writeString(d.resolve("model-00002-of-00002.safetensors"), "c");
        assertNotEquals(h1, Hashing.modelWeights(d));
        assertThrows(IllegalArgumentException.class, () -> Hashing.modelWeights(tmp.resolve("m2")));
    }
}
