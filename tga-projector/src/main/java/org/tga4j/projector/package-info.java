/** Projector training: the LLaVA baseline and TGA, stage 1 and stage 2. */
package org.tga4j.projector;
