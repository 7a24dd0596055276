import Probes
print("symmetry-probe")
