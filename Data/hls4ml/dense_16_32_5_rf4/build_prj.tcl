# hls4ml build script (abridged): reads project.tcl, runs C synthesis and logic synthesis.
source [file join $tcldir project.tcl]
open_project ${project_name}_prj
set_top ${project_name}
open_solution "solution1"
