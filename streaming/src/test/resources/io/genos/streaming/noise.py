#!/usr/bin/env python3
"""Video-like content for the bridge's tests and benchmark, with nothing but python3 and the X11 socket: a window
of W x H pixels painted with fresh random pixels FPS times a second (X11 core protocol: CreateWindow, MapWindow,
CreateGC, PutImage). Usage: noise.py [W H FPS X Y]; DISPLAY=:N selects /tmp/.X11-unix/XN."""
import os, socket, struct, sys, time

w, h, fps, px, py = (list(map(int, sys.argv[1:6])) + [256, 256, 20, 0, 0][len(sys.argv) - 1:])[:5]
display = int(os.environ.get("DISPLAY", ":0").split(":")[1].split(".")[0])
s = socket.socket(socket.AF_UNIX)
s.connect("/tmp/.X11-unix/X%d" % display)
s.sendall(struct.pack("<BxHHHHxx", ord("l"), 11, 0, 0, 0))


def read(n):
    b = b""
    while len(b) < n:
        chunk = s.recv(n - len(b))
        if not chunk:
            sys.exit("X server closed the connection")
        b += chunk
    return b


head = read(8)
if head[0] != 1:
    sys.exit("X server refused the connection: " + read(struct.unpack("<H", head[6:8])[0] * 4).decode(errors="replace"))
setup = read(struct.unpack("<H", head[6:8])[0] * 4)
base, _mask = struct.unpack("<II", setup[4:12])
vendor_len, = struct.unpack("<H", setup[16:18])
formats = setup[21]
screen = 32 + ((vendor_len + 3) & ~3) + 8 * formats
root, = struct.unpack("<I", setup[screen:screen + 4])
wid, gc = base + 1, base + 2
# CreateWindow (depth and visual from the parent, InputOutput), MapWindow, CreateGC.
s.sendall(struct.pack("<BBHIIhhHHHHII", 1, 0, 8, wid, root, px, py, w, h, 0, 1, 0, 0))
s.sendall(struct.pack("<BxHI", 8, 2, wid))
s.sendall(struct.pack("<BxHIII", 55, 4, gc, wid, 0))
rows = max(1, 60000 // w)  # one PutImage stays under the core protocol's request size
s.setblocking(False)
while True:
    start = time.time()
    for y in range(0, h, rows):
        n = min(rows, h - y)
        data = os.urandom(w * n * 4)
        s.setblocking(True)
        s.sendall(struct.pack("<BBHIIHHhhBBxx", 72, 2, 6 + len(data) // 4, wid, gc, w, n, 0, y, 0, 24) + data)
        s.setblocking(False)
    try:
        while s.recv(65536):
            pass  # events and errors: not needed
    except BlockingIOError:
        pass
    time.sleep(max(0.0, 1.0 / fps - (time.time() - start)))
