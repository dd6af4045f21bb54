/** A LLaVA-architecture LVLM runtime on DJL / PyTorch: HF checkpoints, modeling, chat templates, generation. */
package org.tga4j.runtime;
