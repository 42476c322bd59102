"""A fake USB glove on a pseudo-terminal, driven line by line from stdin:
  write <text>   send text + newline to the port
  unplug         close the pty and remove the link (the port disappears)
  plug           make a new pty behind the same link path
Prints 'ok' after each command so the test knows it happened."""
import os, pty, sys

link = sys.argv[1]
master = slave = None

def plug():
    global master, slave
    master, slave = pty.openpty()
    os.symlink(os.ttyname(slave), link)

def unplug():
    global master, slave
    os.unlink(link)
    os.close(master)
    os.close(slave)
    master = slave = None

plug()
print('ok', flush=True)
for line in sys.stdin:
    cmd, _, arg = line.rstrip('\n').partition(' ')
    if cmd == 'write':
        os.write(master, (arg + '\n').encode())
    elif cmd == 'unplug':
        unplug()
    elif cmd == 'plug':
        plug()
    elif cmd == 'quit':
        break
    print('ok', flush=True)
if master is not None:
    unplug()
