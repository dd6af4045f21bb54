package org.tga4j.datasets.tinyworld;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.tga4j.datasets.AtomicFiles;
import org.tga4j.datasets.DatasetFormatException;

/**
 * {@code scenes.jsonl}: the scene graph of every generated image, one per line:
 * {@code {"id", "split", "image", "caption", "hazardous", "render_seed", "objects": [{"class", "noun", "colour",
 * "position", "hazardous", "box": [x0, y0, x1, y1]}]}}. It is the ground truth every other TinyWorld file is derived
 * from, so later stages (training, evaluation) can check answers against it.
 */
public final class SceneGraphs {
    private SceneGraphs() {}

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** The image path of a scene, relative to the world's image root. */
    public static String imagePath(Scene s) {
        return s.split().key() + "/" + s.id() + ".png";
    }

    public static void write(Path file, List<Scene> scenes, SceneRenderer renderer) throws IOException {
        AtomicFiles.write(file, out -> {
            JsonGenerator g = MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8);
            g.setRootValueSeparator(null);
            for (Scene s : scenes) {
                List<SceneRenderer.Pose> poses = renderer.poses(s);
                g.writeStartObject();
                g.writeStringField("id", s.id());
                g.writeStringField("split", s.split().key());
                g.writeStringField("image", imagePath(s));
                g.writeStringField("caption", s.caption());
                g.writeBooleanField("hazardous", s.hazardous());
                g.writeNumberField("render_seed", s.renderSeed());
                g.writeArrayFieldStart("objects");
                for (int i = 0; i < s.objects().size(); i++) {
                    SceneObject o = s.objects().get(i);
                    g.writeStartObject();
                    g.writeStringField("class", o.cls().key());
                    g.writeStringField("noun", o.cls().noun);
                    g.writeStringField("colour", o.colour().word());
                    g.writeStringField("position", o.position().key());
                    g.writeBooleanField("hazardous", o.cls().hazardous);
                    g.writeArrayFieldStart("box");
                    for (int v : poses.get(i).box(renderer.size())) g.writeNumber(v);
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
                g.writeRaw('\n');
            }
            g.flush();
        });
    }

    /** Reads {@code scenes.jsonl} back into scene graphs. A malformed line is an error naming the file and line. */
    public static List<Scene> read(Path file) throws IOException {
        List<Scene> out = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            long n = 0;
            while ((line = in.readLine()) != null) {
                n++;
                if (line.isBlank()) continue;
                try {
                    JsonNode j = MAPPER.readTree(line);
                    List<SceneObject> objs = new ArrayList<>();
                    for (JsonNode o : j.get("objects")) {
                        objs.add(new SceneObject(ObjectClass.fromKey(o.get("class").asText()),
                                Colour.fromWord(o.get("colour").asText()), Position.fromKey(o.get("position").asText())));
                    }
                    out.add(new Scene(j.get("id").asText(), Split.fromKey(j.get("split").asText()), objs,
                            j.get("render_seed").asLong()));
                } catch (IOException | RuntimeException e) {
                    throw DatasetFormatException.at(file, -1, n, "bad scene graph: " + e.getMessage());
                }
            }
        }
        return out;
    }
}
