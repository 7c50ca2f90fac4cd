"""Exercise figures drawn from data: a jointed body, key poses, and an SVG renderer.

Each exercise's key poses, and each of its versions', live in `content/figures.toml` as
joint angles and the body parts that touch the floor or a support (a seat, a counter, a
wall, a stick). `body.py` holds the body's fixed proportions and the ranges a real joint
allows, `pose.py` turns angles into a body (forward kinematics), `joints.py` measures its
joints, `supports.py` sets it down on what it rests on and checks that it does, `motion.py`
times the movement between poses from the exercise's own dose, and `svg.py` draws it
(with `canvas.py`, the picture's frame, and `scenery.py`, all that is not the body).
Everything but `load.py` is pure: no files, no clock.
"""
