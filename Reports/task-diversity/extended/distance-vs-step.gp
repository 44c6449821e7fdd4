# Drawn by the replicate harness; run `gnuplot distance-vs-step.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Δ True(PT, Ridge) during training, per M"
set xlabel "training step"
set ylabel "Δ True(PT, Ridge)"
set grid
set key outside right top
set logscale y
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'distance-vs-step.png'
plot 'distance-vs-step.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "M = 2", \
     'distance-vs-step.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "M = 8", \
     'distance-vs-step.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "M = 32", \
     'distance-vs-step.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "M = 128", \
     'distance-vs-step.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "M = 512", \
     'distance-vs-step.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "M = 2048", \
     'distance-vs-step.dat' index 6 using 1:2:3 with yerrorlines lc 7 pt 7 title "M = ∞"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'distance-vs-step.svg'
plot 'distance-vs-step.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "M = 2", \
     'distance-vs-step.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "M = 8", \
     'distance-vs-step.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "M = 32", \
     'distance-vs-step.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "M = 128", \
     'distance-vs-step.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "M = 512", \
     'distance-vs-step.dat' index 5 using 1:2:3 with yerrorlines lc 6 pt 6 title "M = 2048", \
     'distance-vs-step.dat' index 6 using 1:2:3 with yerrorlines lc 7 pt 7 title "M = ∞"
unset output
