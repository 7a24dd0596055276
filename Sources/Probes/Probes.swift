// Module Probes: see DESIGN.md section 2.
