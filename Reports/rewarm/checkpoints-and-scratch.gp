# Drawn by the replicate harness; run `gnuplot checkpoints-and-scratch.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Earlier checkpoints and scratch: F-val during the continual phase"
set xlabel "continual step"
set ylabel "F-val (nats/byte)"
set grid
set key outside right top
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'checkpoints-and-scratch.png'
plot 'checkpoints-and-scratch.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "scratch", \
     'checkpoints-and-scratch.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ck25", \
     'checkpoints-and-scratch.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "ck50", \
     'checkpoints-and-scratch.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "lr1", \
     'checkpoints-and-scratch.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "const"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'checkpoints-and-scratch.svg'
plot 'checkpoints-and-scratch.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "scratch", \
     'checkpoints-and-scratch.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "ck25", \
     'checkpoints-and-scratch.dat' index 2 using 1:2:3 with yerrorlines lc 3 pt 3 title "ck50", \
     'checkpoints-and-scratch.dat' index 3 using 1:2:3 with yerrorlines lc 4 pt 4 title "lr1", \
     'checkpoints-and-scratch.dat' index 4 using 1:2:3 with yerrorlines lc 5 pt 5 title "const"
unset output
