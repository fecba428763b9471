package signalprocessing.customlabels

# Custom labels: none by default; teams extend this policy.
default labels := {}
