"""Content as data: the exercise catalogue, phases, program defaults, education and wording."""
