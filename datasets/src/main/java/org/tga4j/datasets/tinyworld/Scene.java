package org.tga4j.datasets.tinyworld;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A TinyWorld scene graph: 1–3 objects in distinct positions (sorted in caption order), at most one of them
 * hazardous, plus the seed that fixes how it is drawn (pose, size, colour jitter, background, noise).
 *
 * @param id image id, e.g. {@code tw000123}
 * @param split the split the scene's composition hashes to
 * @param objects the objects, in {@link Position} order
 * @param renderSeed seed for all drawing randomness
 */
public record Scene(String id, Split split, List<SceneObject> objects, long renderSeed) {
    public Scene {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(split, "split");
        objects = objects.stream().sorted(Comparator.comparing(SceneObject::position)).toList();
        if (objects.isEmpty() || objects.size() > 3) throw new IllegalArgumentException("a scene has 1-3 objects: " + objects);
        if (objects.stream().map(SceneObject::position).distinct().count() != objects.size()) {
            throw new IllegalArgumentException("two objects share a position: " + objects);
        }
    }

    public boolean hazardous() {
        return objects.stream().anyMatch(o -> o.cls().hazardous);
    }

    /** The hazardous object's class, or {@code null}. */
    public ObjectClass hazard() {
        return objects.stream().map(SceneObject::cls).filter(c -> c.hazardous).findFirst().orElse(null);
    }

    /** The composition (what is where, in which colour) that decides the split. */
    public String compositionKey() {
        return objects.stream().map(o -> o.cls().key() + ":" + o.colour().word() + ":" + o.position().key())
                .collect(Collectors.joining("|"));
    }

    /** Caption from the scene graph: {@code a red knife at the top left and a blue ball at the bottom right}. */
    public String caption() {
        List<String> p = objects.stream().map(SceneObject::phrase).toList();
        if (p.size() == 1) return p.get(0);
        return String.join(", ", p.subList(0, p.size() - 1)) + " and " + p.get(p.size() - 1);
    }
}
