# Drawn by the replicate harness; run `gnuplot r-vs-tasks.gp` in this folder to redraw.
set encoding utf8
set termoption noenhanced
set title "Position r between dMMSE (0) and ridge (1), batch 64 vs 128"
set xlabel "number of pretraining tasks M"
set ylabel "r"
set grid
set key outside right top
set logscale x
set terminal pngcairo size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'r-vs-tasks.png'
plot 'r-vs-tasks.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "B = 64", \
     'r-vs-tasks.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "B = 128"
unset output
set terminal svg size 900,540 font 'DejaVu Sans,10' noenhanced
set output 'r-vs-tasks.svg'
plot 'r-vs-tasks.dat' index 0 using 1:2:3 with yerrorlines lc 1 pt 1 title "B = 64", \
     'r-vs-tasks.dat' index 1 using 1:2:3 with yerrorlines lc 2 pt 2 title "B = 128"
unset output
