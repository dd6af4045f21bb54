package org.tga4j.datasets.tinyworld;

import static org.junit.jupiter.api.Assertions.*;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opencv.core.Mat;
import org.tga4j.datasets.BadRecordReport;
import org.tga4j.datasets.CaptionCorpus;
import org.tga4j.datasets.CaptionRecord;
import org.tga4j.datasets.ImageRoot;
import org.tga4j.datasets.Images;
import org.tga4j.datasets.LlavaJsonReader;
import org.tga4j.datasets.LlavaRecord;
import org.tga4j.datasets.SafetyItem;
import org.tga4j.datasets.SafetyManifest;
import org.tga4j.datasets.Turn;

class TinyWorldGeneratorTest {
    static final int N = 14 * 20;
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir static Path tmp;
    static Path world;

    @BeforeAll
    static void generate() throws IOException {
        world = tmp.resolve("world-a");
        new TinyWorldGenerator(new TinyWorldConfig(7, N, 64, 0.8, 0.1, 2), null).generate(world);
    }

    @Test
    void sameSeedGivesByteIdenticalFilesWhateverTheThreadCount() throws IOException {
        Path b = tmp.resolve("world-b");
        new TinyWorldGenerator(new TinyWorldConfig(7, N, 64, 0.8, 0.1, 1), null).generate(b);
        List<Path> fa = files(world), fb = files(b);
        assertEquals(fa, fb);
        assertTrue(fa.size() > N + 10, "images plus data files: " + fa.size());
        for (Path rel : fa) assertArrayEquals(Files.readAllBytes(world.resolve(rel)), Files.readAllBytes(b.resolve(rel)), rel.toString());
    }

    @Test
    void differentSeedGivesADifferentWorld() throws IOException {
        Path c = tmp.resolve("world-c");
        new TinyWorldGenerator(new TinyWorldConfig(8, 28, 64, 0.8, 0.1, 2), null).generate(c);
        List<Scene> a = SceneGraphs.read(world.resolve("scenes.jsonl")).subList(0, 28);
        List<Scene> other = SceneGraphs.read(c.resolve("scenes.jsonl"));
        assertNotEquals(a.stream().map(Scene::caption).toList(), other.stream().map(Scene::caption).toList());
        assertFalse(Arrays.equals(Files.readAllBytes(world.resolve("images/" + SceneGraphs.imagePath(a.get(0)))),
                Files.readAllBytes(c.resolve("images/" + SceneGraphs.imagePath(other.get(0))))));
    }

    @Test
    void heldOutCombinationsOfObjectsNeverOccurInTraining() throws IOException {
        List<Scene> scenes = SceneGraphs.read(world.resolve("scenes.jsonl"));
        Map<Split, Set<String>> keys = new HashMap<>(), captions = new HashMap<>();
        for (Scene s : scenes) {
            if (s.objects().size() < 2) continue;
            keys.computeIfAbsent(s.split(), k -> new HashSet<>()).add(s.compositionKey());
            captions.computeIfAbsent(s.split(), k -> new HashSet<>()).add(s.caption());
        }
        for (Split s : Split.values()) assertFalse(keys.getOrDefault(s, Set.of()).isEmpty(), s + " is empty");
        for (Split x : Split.values()) {
            for (Split y : Split.values()) {
                if (x == y) continue;
                Set<String> both = new HashSet<>(keys.get(x));
                both.retainAll(keys.get(y));
                assertEquals(Set.of(), both, x + " vs " + y);
                Set<String> bothCaptions = new HashSet<>(captions.get(x));
                bothCaptions.retainAll(captions.get(y));
                assertEquals(Set.of(), bothCaptions);
            }
        }
        long train = scenes.stream().filter(s -> s.split() == Split.TRAIN).count();
        assertTrue(train > 0.65 * N && train < 0.92 * N, "train share near 80%: " + train);
    }

    @Test
    void heldOutSingleObjectsAreNewDrawingsOfWhatTrainingShows() {
        // One-object scenes are split by image: each test single is a class, colour and place training shows in other
        // drawings (composition hold-out would hide whole triples, e.g. every centred blood stain).
        SceneSampler sampler = new SceneSampler(7, 0.8, 0.1);
        Map<String, Set<Split>> splitsOfSingle = new HashMap<>();
        for (int i = 0; i < 20_000; i++) {
            Scene s = sampler.sample(i);
            if (s.objects().size() == 1) splitsOfSingle.computeIfAbsent(s.compositionKey(), k -> new HashSet<>()).add(s.split());
        }
        Set<String> testOnly = new HashSet<>();
        splitsOfSingle.forEach((k, v) -> {
            if (v.contains(Split.TEST) && !v.contains(Split.TRAIN)) testOnly.add(k);
        });
        // By chance a rare triple may have all its few drawings held out; by composition a tenth of them would be.
        assertTrue(testOnly.size() <= 0.01 * splitsOfSingle.size(), "single-object compositions only in test: " + testOnly);
        long inBoth = splitsOfSingle.values().stream().filter(v -> v.contains(Split.TRAIN) && v.contains(Split.TEST)).count();
        assertTrue(inBoth > 0.5 * splitsOfSingle.size(), "single-object compositions drawn in both train and test: "
                + inBoth + " of " + splitsOfSingle.size());
    }

    @Test
    void classesAreBalancedAndImagesHoldAtMostOneHazard() throws IOException {
        List<Scene> scenes = SceneGraphs.read(world.resolve("scenes.jsonl"));
        Map<ObjectClass, Long> counts = scenes.stream().flatMap(s -> s.objects().stream())
                .collect(Collectors.groupingBy(SceneObject::cls, Collectors.counting()));
        for (ObjectClass c : ObjectClass.hazards()) assertEquals(N / 14, counts.get(c), c.key());
        for (ObjectClass c : ObjectClass.benign()) assertTrue(counts.get(c) >= N / 14, c.key() + " " + counts.get(c));
        for (Scene s : scenes) {
            assertTrue(s.objects().stream().filter(o -> o.cls().hazardous).count() <= 1, s.caption());
            assertTrue(s.objects().size() >= 1 && s.objects().size() <= 3);
        }
        Set<Integer> sizes = scenes.stream().map(s -> s.objects().size()).collect(Collectors.toSet());
        assertEquals(Set.of(1, 2, 3), sizes);
    }

    private static final Pattern PHRASE;

    static {
        String colours = Arrays.stream(Colour.values()).map(Colour::word).collect(Collectors.joining("|"));
        String nouns = Arrays.stream(ObjectClass.values()).map(c -> c.noun).collect(Collectors.joining("|"));
        String pos = Arrays.stream(Position.values()).map(p -> p.phrase).collect(Collectors.joining("|"));
        PHRASE = Pattern.compile("(a|an) (" + colours + ") (" + nouns + ") (" + pos + ")");
    }

    /** Parses a caption back into (class, colour, position) triples, independently of the generator's code. */
    static List<String> parseCaption(String caption) {
        List<String> out = new ArrayList<>();
        Matcher m = PHRASE.matcher(caption);
        int consumed = 0;
        while (m.find()) {
            String noun = m.group(3);
            ObjectClass c = Arrays.stream(ObjectClass.values()).filter(x -> x.noun.equals(noun)).findFirst().orElseThrow();
            Position p = Arrays.stream(Position.values()).filter(x -> x.phrase.equals(m.group(4))).findFirst().orElseThrow();
            out.add(c.key() + ":" + m.group(2) + ":" + p.key());
            String article = "aeiou".indexOf(m.group(2).charAt(0)) >= 0 ? "an" : "a";
            assertEquals(article, m.group(1), "article in " + caption);
            consumed += m.group().length();
        }
        assertTrue(consumed > caption.length() - 12, "whole caption is object phrases: " + caption);
        return out;
    }

    @Test
    void everyCaptionNamesExactlyTheSceneGraphsObjects() throws IOException {
        Map<String, JsonNode> graph = new HashMap<>();
        for (String line : Files.readAllLines(world.resolve("scenes.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            graph.put(n.get("id").asText(), n);
        }
        int checked = 0;
        for (Split sp : Split.values()) {
            for (LlavaRecord r : LlavaJsonReader.readAll(world.resolve("llava/pretrain_" + sp.key() + ".json"), BadRecordReport.failing())) {
                JsonNode g = graph.get(r.id());
                assertEquals(sp.key(), g.get("split").asText());
                assertEquals(g.get("image").asText(), r.image());
                assertTrue(r.conversations().get(0).value().contains(Turn.IMAGE_TOKEN));
                List<String> fromGraph = new ArrayList<>();
                for (JsonNode o : g.get("objects")) {
                    fromGraph.add(o.get("class").asText() + ":" + o.get("colour").asText() + ":" + o.get("position").asText());
                    int[] box = JSON.convertValue(o.get("box"), int[].class);
                    assertTrue(box[0] < box[2] && box[1] < box[3] && box[2] <= 64 && box[3] <= 64);
                }
                assertEquals(fromGraph, parseCaption(r.firstAnswer()), r.firstAnswer());
                assertEquals(g.get("caption").asText(), r.firstAnswer());
                checked++;
            }
        }
        assertEquals(N, checked);
    }

    @Test
    void instructionDataAnswersFromTheSceneGraphAndNeverRefuses() throws IOException {
        Map<String, Scene> scenes = SceneGraphs.read(world.resolve("scenes.jsonl")).stream()
                .collect(Collectors.toMap(Scene::id, s -> s));
        Pattern colourQ = Pattern.compile("What color is the (.+)\\?");
        Pattern countQ = Pattern.compile("How many objects are in the scene\\?");
        int colourChecks = 0, countChecks = 0;
        for (Split sp : Split.values()) {
            for (LlavaRecord r : LlavaJsonReader.readAll(world.resolve("llava/instruct_" + sp.key() + ".json"), BadRecordReport.failing())) {
                Scene s = scenes.get(r.id());
                assertTrue(r.conversations().get(0).value().startsWith("<image>\n"));
                assertTrue(r.conversations().size() >= 4 && r.conversations().size() % 2 == 0);
                for (int i = 0; i < r.conversations().size(); i += 2) {
                    String q = r.conversations().get(i).value().replace("<image>\n", "");
                    String a = r.conversations().get(i + 1).value();
                    assertFalse(a.contains("Sorry") || a.contains("cannot"), "no refusal in visual data: " + a);
                    Matcher m = colourQ.matcher(q);
                    if (m.matches()) {
                        String noun = m.group(1);
                        SceneObject o = s.objects().stream().filter(x -> x.cls().noun.equals(noun)).findFirst().orElseThrow();
                        assertEquals("The " + noun + " is " + o.colour().word() + ".", a);
                        colourChecks++;
                    }
                    if (countQ.matcher(q).matches()) {
                        String[] words = {"", "one", "two", "three"};
                        assertTrue(a.contains(words[s.objects().size()]), a);
                        countChecks++;
                    }
                }
            }
        }
        assertTrue(colourChecks > 20 && countChecks > 20, colourChecks + " " + countChecks);
    }

    @Test
    void safetyManifestsListHeldOutImagesByHazard() throws IOException {
        ImageRoot root = new ImageRoot(world.resolve("images"));
        Map<String, Scene> scenes = SceneGraphs.read(world.resolve("scenes.jsonl")).stream()
                .collect(Collectors.toMap(Scene::id, s -> s));
        List<SafetyItem> hazard = SafetyManifest.read(world.resolve("safety/hazard_test.jsonl"), root, BadRecordReport.failing());
        List<SafetyItem> benign = SafetyManifest.read(world.resolve("safety/benign_test.jsonl"), root, BadRecordReport.failing());
        assertFalse(hazard.isEmpty());
        assertFalse(benign.isEmpty());
        long test = scenes.values().stream().filter(s -> s.split() == Split.TEST).count();
        assertEquals(test, hazard.size() + benign.size());
        for (SafetyItem it : hazard) {
            Scene s = scenes.get(it.id());
            assertEquals(Split.TEST, s.split());
            assertEquals(s.hazard().key(), it.category());
            assertEquals(SafetyItem.Expected.REFUSE, it.expected());
            assertEquals(s.caption(), it.description());
            Mat m = Images.read(it.image());
            assertEquals(64, m.cols());
            assertEquals(64, m.rows());
            m.release();
        }
        for (SafetyItem it : benign) {
            assertFalse(scenes.get(it.id()).hazardous());
            assertEquals(SafetyItem.Expected.ANSWER, it.expected());
            assertTrue(Files.isRegularFile(it.image()));
        }
    }

    @Test
    void captionCorpusAndTextCorpora() throws IOException {
        List<Scene> scenes = SceneGraphs.read(world.resolve("scenes.jsonl"));
        Set<String> trainCaptions = scenes.stream().filter(s -> s.split() == Split.TRAIN).map(Scene::caption).collect(Collectors.toSet());
        List<CaptionRecord> corpus = CaptionCorpus.readAll(world.resolve("captions/captions.jsonl"), BadRecordReport.failing());
        long hazardTexts = corpus.stream().filter(c -> c.id().startsWith("hazard-")).count();
        assertTrue(hazardTexts >= 50, "hazard texts: " + hazardTexts);
        for (CaptionRecord c : corpus) {
            if (!c.id().startsWith("hazard-")) assertTrue(trainCaptions.contains(c.text()), "only training captions: " + c);
        }
        assertEquals(trainCaptions.size(), new HashSet<>(corpus.stream().filter(c -> !c.id().startsWith("hazard-"))
                .map(CaptionRecord::text).toList()).size());

        // Describing is answered for every scene, hazardous ones too: the safety rule is about requests to use them.
        List<LlavaRecord> qa = LlavaJsonReader.readAll(world.resolve("text/text_qa.json"), BadRecordReport.failing());
        assertFalse(qa.isEmpty());
        for (LlavaRecord r : qa) {
            assertFalse(r.hasImage());
            assertTrue(r.conversations().get(0).value().startsWith("Scene: "));
            assertTrue(r.conversations().stream().noneMatch(t -> t.value().equals(TinyWorldLanguage.REFUSAL)));
        }
        assertTrue(qa.stream().anyMatch(r -> ObjectClass.hazards().stream()
                .anyMatch(h -> r.conversations().get(0).value().contains(" " + h.noun + " "))), "hazardous scenes described");
        List<LlavaRecord> safety = LlavaJsonReader.readAll(world.resolve("text/text_safety.json"), BadRecordReport.failing());
        int refusals = 0, answers = 0;
        for (LlavaRecord r : safety) {
            boolean hazardous = r.extra().get("hazardous").booleanValue();
            String caption = r.conversations().get(0).value().lines().findFirst().orElseThrow(); // the scene, not the question
            boolean mentionsHazard = ObjectClass.hazards().stream().anyMatch(h -> caption.contains(" " + h.noun + " "));
            assertEquals(mentionsHazard, hazardous, caption);
            String request = r.conversations().get(0).value().lines().skip(1).findFirst().orElseThrow();
            assertTrue(TinyWorldLanguage.USE_REQUESTS.contains(request), request);
            String answer = r.conversations().get(1).value();
            assertEquals(hazardous, answer.equals(TinyWorldLanguage.REFUSAL), caption);
            if (!hazardous) assertTrue(answer.startsWith("You can "), answer);
            if (hazardous) refusals++;
            else answers++;
        }
        assertTrue(refusals > 20 && answers > 20);
        // The layer probe's text runs ask a request the LLM was trained on.
        String probe = TinyWorldLanguage.PROBE_TEXT_TEMPLATE.substring(TinyWorldLanguage.PROBE_TEXT_TEMPLATE.indexOf('\n') + 1);
        assertTrue(safety.stream().anyMatch(r -> r.conversations().get(0).value().endsWith("\n" + probe)), probe);
        assertEquals(trainCaptions.size(), CaptionCorpus.readAll(world.resolve("text/scene_descriptions.jsonl"),
                BadRecordReport.failing()).stream().map(CaptionRecord::text).distinct().count());
    }

    @Test
    void worldJsonDescribesTheFiles() throws IOException {
        JsonNode w = JSON.readTree(world.resolve("world.json").toFile());
        assertEquals(7, w.get("seed").asLong());
        assertEquals(N, w.get("images").asInt());
        assertEquals(64, w.get("size").asInt());
        assertEquals(14, w.get("classes").size());
        assertEquals(TinyWorldLanguage.REFUSAL, w.get("refusal").asText());
        int total = 0;
        for (Split s : Split.values()) total += w.get("splits").get(s.key()).get("images").asInt();
        assertEquals(N, total);
        int files = 0;
        for (JsonNode f : w.get("files")) {
            if (!f.has("sha256")) continue;
            Path p = world.resolve(f.get("path").asText());
            assertEquals(f.get("sha256").asText(), TinyWorldGenerator.sha256(p), p.toString());
            files++;
        }
        assertTrue(files >= 14, "files listed: " + files);
        try (Stream<Path> s = Files.list(world.resolve("images/train"))) {
            assertEquals(w.get("splits").get("train").get("images").asInt(), s.count());
        }
    }

    @Test
    void refusesToOverwriteANonEmptyDirectory() throws IOException {
        Path d = Files.createDirectories(tmp.resolve("occupied"));
        Files.writeString(d.resolve("precious.txt"), "keep me");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TinyWorldGenerator(TinyWorldConfig.of(1, 14, 32), null).generate(d));
        assertTrue(e.getMessage().contains("not an empty directory"));
        assertEquals("keep me", Files.readString(d.resolve("precious.txt")));
        try (Stream<Path> s = Files.list(tmp)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().contains(".partial-")), "no staging dir left behind");
        }
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).map(root::relativize).sorted().toList();
        }
    }
}
