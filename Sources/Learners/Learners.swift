// Module Learners: see DESIGN.md section 2.
