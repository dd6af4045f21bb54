package org.tga4j.datasets;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageRootTest {
    @TempDir Path dir;

    @Test
    void resolvesRelativePathsInsideTheRoot() {
        ImageRoot root = new ImageRoot(dir.resolve("imgs"));
        assertEquals(dir.resolve("imgs/00453/004539375.jpg").toAbsolutePath(), root.resolve("00453/004539375.jpg"));
        assertEquals(dir.resolve("imgs/b/c.jpg").toAbsolutePath(), root.resolve("a/../b/./c.jpg"));
        assertEquals(dir.resolve("imgs/a/b.jpg").toAbsolutePath(), root.resolve("a\\b.jpg"));
        assertEquals("a/b.jpg", root.relativize(root.resolve("a/b.jpg")));
    }

    @Test
    void rejectsEscapesAndAbsolutePaths() {
        ImageRoot root = new ImageRoot(dir.resolve("imgs"));
        for (String bad : new String[] {"../secret.jpg", "a/../../secret.jpg", "..", "/etc/passwd", "\\etc\\passwd",
                "C:\\Windows\\x.jpg", "", "  ", ".", "a/\0.jpg"}) {
            PathEscapeException e = assertThrows(PathEscapeException.class, () -> root.resolve(bad), bad);
            assertFalse(e.getMessage().isBlank());
        }
        assertThrows(PathEscapeException.class, () -> root.relativize(dir.resolve("elsewhere.jpg")));
    }

    @Test
    void rejectsSymlinksPointingOutside() throws IOException {
        Path imgs = Files.createDirectories(dir.resolve("imgs"));
        Path secret = Files.writeString(dir.resolve("secret.jpg"), "not for you");
        Files.createSymbolicLink(imgs.resolve("link.jpg"), secret);
        PathEscapeException e = assertThrows(PathEscapeException.class, () -> new ImageRoot(imgs).resolve("link.jpg"));
        assertTrue(e.getMessage().contains("links outside"), e.getMessage());
    }
}
