"""Exercise figures drawn from data: a jointed body, key poses, and an SVG renderer.

Each exercise's key poses live in `content/figures.toml` as joint angles and the body
parts that touch the floor. `body.py` holds the body's fixed proportions and the ranges a
real joint allows, `pose.py` turns angles into a placed body (forward kinematics),
`motion.py` times the movement between poses from the exercise's own dose, and `svg.py`
draws it. Everything but `load.py` is pure: no files, no clock.
"""
