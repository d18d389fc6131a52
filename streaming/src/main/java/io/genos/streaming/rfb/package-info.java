/**
 * A small hand-written RFB (VNC) client with exactly what the Guacamole bridge needs: protocol 3.3/3.7/3.8,
 * security None and VNC authentication, a 32bpp true-colour framebuffer kept as one {@code int[]}, the Raw and
 * CopyRect encodings and the Cursor, DesktopSize and ExtendedDesktopSize pseudo-encodings, and the client messages
 * for pointer, keys, clipboard and SetDesktopSize. Decoding reuses one scratch buffer and never allocates per pixel.
 */
package io.genos.streaming.rfb;
