"""nbgrader's configuration for a course on this collection: run nbgrader's commands in this folder
(README, "For teachers"). The assignment is the folder notebooks/ as it is (nbgrader's "source"
step is this folder); nbgrader's other steps go to build/course/:

    nbgrader generate_assignment notebooks --force   # release copy: build/course/release/notebooks
    nbgrader autograde notebooks                      # build/course/submitted/STUDENT/notebooks
    nbgrader generate_feedback notebooks              # build/course/feedback/STUDENT/notebooks
"""
import os

from nbgrader.preprocessors import (
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearSolutions,
    ComputeChecksums,
    IncludeHeaderFooter,
    InstantiateTests,
    LockCells,
    SaveCells,
)

from lstm_classroom.nbgrader_course import ReleaseExercises

c = get_config()  # noqa: F821 - traitlets defines it for a configuration file
HERE = os.path.dirname(os.path.abspath(__file__))
COURSE = os.path.join("build", "course")

c.CourseDirectory.root = HERE
c.CourseDirectory.course_id = "lstm-gate-by-gate"
c.CourseDirectory.source_directory = "."              # the assignment "notebooks" is notebooks/
c.CourseDirectory.release_directory = os.path.join(COURSE, "release")
c.CourseDirectory.submitted_directory = os.path.join(COURSE, "submitted")
c.CourseDirectory.autograded_directory = os.path.join(COURSE, "autograded")
c.CourseDirectory.feedback_directory = os.path.join(COURSE, "feedback")
c.CourseDirectory.db_url = "sqlite:///" + os.path.join(HERE, COURSE, "gradebook.db")

# the release copy: nbgrader's preprocessors, with ReleaseExercises where ClearOutput was (every
# cell but the exercises keeps its outputs), and "# YOUR CODE HERE" alone where a solution was
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE"}
c.GenerateAssignment.preprocessors = [
    IncludeHeaderFooter, InstantiateTests, LockCells, ClearSolutions, ReleaseExercises,
    CheckCellMetadata, ComputeChecksums, SaveCells, ClearHiddenTests, ClearMarkScheme,
    ComputeChecksums, CheckCellMetadata,
]

# autograding runs every notebook from a fresh kernel; the training cells of 08 take longer than
# nbgrader's default 30 s on a slow machine
c.Execute.timeout = 600
