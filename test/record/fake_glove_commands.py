"""A fake glove on a pseudo-terminal that streams a held pose and answers firmware commands.
  fake_glove_commands.py LINK
Makes a pty behind the path LINK, writes a header and then one 12-field line every 5 ms whose
device clock advances 30 ms (a glove ~6x faster than real time), holding one pose with a little
ADC noise. Every command line read from the port is printed to stdout as 'got <command>' and
answered on the port with a '#' line, as the firmware does. Ends on SIGTERM or when stdin closes."""
import os, pty, random, select, sys, tty

link = sys.argv[1]
master, slave = pty.openpty()
tty.setraw(slave)  # a USB serial port does not echo what the glove sends back to it
os.symlink(os.ttyname(slave), link)
print('ready', flush=True)
rng = random.Random(1)
pose = dict(pitch=-14.5, roll=-69.5, yaw=-68.4, ax=0.27, ay=-0.92, az=0.34, f=[780, 780, 869, 866, 857])
t = 0
pending = b''
os.write(master, b'timestamp,pitch,roll,yaw,accel_x,accel_y,accel_z,flex1,flex2,flex3,flex4,flex5\n')
try:
    while True:
        r, _, _ = select.select([master, sys.stdin], [], [], 0.005)
        if sys.stdin in r and not sys.stdin.readline():
            break
        if master in r:
            try:
                pending += os.read(master, 1024)
            except OSError:
                pass
            while b'\n' in pending:
                line, pending = pending.split(b'\n', 1)
                cmd = line.decode(errors='replace').strip()
                if not cmd:
                    continue
                print('got ' + cmd, flush=True)
                answer = {'recal': '# recal: gyro bias re-zeroed (hold still)', 'yawzero': '# yawzero: yaw set to 0'}.get(cmd, '# unknown command: ' + cmd)
                os.write(master, (answer + '\n').encode())
                if cmd == 'yawzero':
                    pose['yaw'] = 0.0
        flex = [v + rng.randint(-3, 3) for v in pose['f']]
        a = [round(pose[k] + rng.uniform(-0.05, 0.05), 2) for k in ('pitch', 'roll', 'yaw')]
        line = ','.join(str(x) for x in [t, *a, pose['ax'], pose['ay'], pose['az'], *flex])
        os.write(master, (line + '\n').encode())
        t += 30
finally:
    os.unlink(link)
